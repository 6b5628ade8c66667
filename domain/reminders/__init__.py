"""When to remind whom: working days, offsets before a due date, overdue cadence, snoozes."""
