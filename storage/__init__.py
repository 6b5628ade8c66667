"""Persistence: SQLAlchemy models, repositories and migrations. No Telegram, no scheduler."""
