"""MAX behind aiogram's session: its Bot API client, the conversion of its updates and messages,
and its long polling and webhook."""
