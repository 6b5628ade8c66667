"""The plain-text roadmaps of the seeds: tab-separated rows among paragraphs."""

from __future__ import annotations

from domain.roadmap.draft import SourceDocument, SourceRow


def read_text(content: str) -> SourceDocument:
    """Lines with a tab are table rows (consecutive ones form a table; a blank line inside a
    table does not end it); other lines are paragraphs. A line ending in two spaces, or inside
    an unclosed ``**``, continues into the next one, as in the converted documents."""
    paragraphs: list[str] = []
    tables: list[list[SourceRow]] = []
    current: list[SourceRow] | None = None
    pending = ""
    for raw_line in content.replace("\r\n", "\n").split("\n"):
        if "\t" in raw_line:
            if current is None:
                current = []
                tables.append(current)
            current.append(SourceRow(tuple(raw_line.split("\t"))))
            continue
        if not raw_line.strip():
            continue  # blank lines neither end a table nor make a paragraph
        current = None
        joined = f"{pending} {raw_line.strip()}".strip() if pending else raw_line.strip()
        if raw_line.endswith("  ") or joined.count("**") % 2 == 1:
            pending = joined
            continue
        pending = ""
        paragraphs.append(joined)
    if pending:
        paragraphs.append(pending)
    return SourceDocument(tuple(paragraphs), tuple(tuple(t) for t in tables))
