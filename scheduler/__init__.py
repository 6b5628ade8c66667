"""APScheduler wiring: only the clock that calls idempotent ticks; durable state lives in storage."""
