"""The coordinator's requests to schools: sent (each addressee gets an occurrence, so reminders,
reports, the digest and the export treat it like a roadmap measure), withdrawn, followed, and
their answers gathered for the merged workbook."""
