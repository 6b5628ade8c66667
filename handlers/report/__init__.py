"""A head's report on a measure (status, what was done, evidence), the reminders that ask for
it, and the coordinator's review."""
