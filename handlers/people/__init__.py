"""Joining and who people are: /start, /help, /lang, /invite, /people, /settings."""
