"""Status reports: what a school head may report on, saving versions, the coordinator's review,
and requests to move a deadline."""
