"""The messenger seam: one aiogram session that sends each call to its chat's messenger, and an
adapter per messenger that is not Telegram (aiogram speaks Telegram itself).

Handlers, the scheduler and storage never import it; only the composition root (``bot``) does.
"""
