"""Roadmaps: importing a document, /measures and the card of one measure."""
