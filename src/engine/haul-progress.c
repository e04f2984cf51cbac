/* haul-progress.c: being written */
