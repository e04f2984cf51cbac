/* haul-test-server.c: being written */
