"""E-mail: who gets the day's e-mail and what it tells them, each person's e-mail settings,
and the e-mail outbox (compose once, claim, record what the SMTP server answered)."""
