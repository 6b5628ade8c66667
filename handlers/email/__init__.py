"""E-mail: /email settings, the day's and the weekly e-mails, the unsubscribe page."""
