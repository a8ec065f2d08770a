"""Pure domain logic: stdlib only, no I/O, time always passed in."""
