"""File formats beside the core: bytes in, plain rows out (and rows in, bytes out)."""
