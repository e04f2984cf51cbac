/* haul-transfer.c: being written */
