/* haul-store.c: being written */
