"""A head's report on a measure (status, what was done, evidence), its reminders, and the coordinator's review."""
