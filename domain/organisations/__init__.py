"""Organisations as a department writes them: one body under its full name, its abbreviation,
another word order, other hyphens, a qualifier in brackets, or a typo."""
