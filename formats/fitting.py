"""Row heights and column widths that fit a sheet's text, for office suites that do not measure
it themselves. LibreOffice, Р7-Офис and МойОфис draw an .xlsx row at the height the file states
(the default, one line, when it states none), so wrapped text overprints the rows below; the
height is computed here from the text and the column's width.

Widths are in Excel's units (about one digit of the default font); a Cyrillic letter is wider
than a digit, hence ``LETTER``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LINE_POINTS = 15.0  # one line of 11 pt text with its leading
PADDING_POINTS = 4.0
MAX_ROW_POINTS = 409.0  # the largest row height Excel accepts
LETTER = 1.3  # a Cyrillic letter in digit widths, with room for the cell's own margins


def lines_in(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide, breaking at spaces."""
    room = max(int(width / LETTER) - 1, 1)
    total = 0
    for paragraph in str(text).split("\n"):
        used, count = 0, 1
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > room:
                count += 1
                used = 0
            if size > room:  # a word wider than the column breaks inside it
                count += math.ceil(size / room) - 1
                size %= room
            used += size + (1 if used else 0)
        total += count
    return total


def fitted_height(values: Sequence[object], widths: Sequence[float]) -> float:
    """The height in points a row of ``values`` needs, with its text wrapped in ``widths``."""
    lines = max(
        (
            lines_in(str(value), width)
            for value, width in zip(values, widths, strict=False)
            if value not in (None, "")
        ),
        default=1,
    )
    return min(lines * LINE_POINTS + PADDING_POINTS, MAX_ROW_POINTS)


def fitted_widths(
    columns: Sequence[Sequence[object]], *, least: float = 6, most: float = 60
) -> list[float]:
    """A width per column from its longest line, within ``least`` and ``most`` (longer text
    wraps); ``columns`` holds each column's values, header first."""
    widths = []
    for values in columns:
        longest = max(
            (len(line) for value in values for line in str(value or "").split("\n")), default=0
        )
        widths.append(min(max(longest * LETTER + 3, least), most))
    return widths
