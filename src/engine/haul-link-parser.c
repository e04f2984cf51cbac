/* haul-link-parser.c: being written */
