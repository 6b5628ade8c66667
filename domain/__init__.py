"""Pure business rules: no frameworks, no I/O, never reads the clock."""
