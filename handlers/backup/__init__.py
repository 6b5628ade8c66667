"""What the coordinators are told about the bot's own backups."""
