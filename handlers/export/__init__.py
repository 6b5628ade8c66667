"""The implementation report: /export as .xlsx and as the .docx to sign."""
