/* haul-download.c: being written */
