/* haul-queue.c: being written */
