"""Reading a roadmap document (already turned into paragraphs and table rows) into a draft."""
