"""The durable outbox of reminders: claim what is due, then record what Telegram answered.

A reminder is ``pending`` until claimed; claiming marks it ``sending`` (committed before the
message goes out); the answer makes it ``sent``, ``pending`` again (retry later) or ``failed``.
A ``sending`` row whose lease ran out belongs to a process that died mid-send: it is sent
again, which is the only way a duplicate can happen.
"""
