/* haul-naming.c: being written */
