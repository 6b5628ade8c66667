"""Backups of the bot's data: one archive of the database and the evidence files, checked
before anything is restored from it, and the lock that keeps a restore away from a running
bot."""
