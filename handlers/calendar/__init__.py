"""Deadlines as an .ics file: /calendar and the subscription's texts."""
