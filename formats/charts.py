"""The digest's picture: one horizontal bar per organisation, split by standing, worst first.

Drawn for a phone: a chat bubble shows a picture about 330 points wide, so the PNG is twice
that (``WIDTH_PX``) and its letters are sized so that, scaled into the bubble, they stay at
least 10 px tall. Each segment carries its count, and each bar its total: nobody has to read
an axis. Names are the usual short ones («МБОУ СОШ № 2»), and the legend names only the
standings that are on the picture.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.pyplot as plt

from domain.names import short_school_name
from domain.progress import WORST_FIRST, Standing

COLOURS: dict[Standing, str] = {
    Standing.OVERDUE: "#d62728",
    Standing.NOT_DONE: "#ff7f0e",
    Standing.NO_ANSWER: "#bdbdbd",
    Standing.IN_PROGRESS: "#1f77b4",
    Standing.DONE: "#2ca02c",
}
# Light segments get dark figures, dark ones white.
_FIGURE_COLOURS: dict[Standing, str] = {Standing.NO_ANSWER: "#222222"}
MAX_BARS = 40  # a readable picture; the rest are in the text
LABEL_CHARS = 22  # a short school name fits; a longer one is cut with «…»
DPI = 150
WIDTH_PX = 660  # twice the 330-point chat bubble
FONT_PT = 14  # capitals ≈ 21 px at 150 dpi: ≈ 10.5 px when the picture is halved
TITLE_CHARS = 34
BAR_INCHES = 0.5  # one line of 14 pt text with room around it
LEGEND_COLUMNS = 2


def standings_chart(
    organisations: Sequence[tuple[str, Counter[Standing]]],
    labels: Mapping[Standing, str],
    title: str,
) -> bytes:
    """A PNG. ``organisations`` come worst first and are drawn top to bottom in that order."""
    shown = list(organisations[:MAX_BARS])
    present = [what for what in WORST_FIRST if any(counter[what] for _, counter in shown)]
    title_lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    legend_rows = math.ceil(len(present) / LEGEND_COLUMNS)
    top = 0.35 * len(title_lines) + 0.2
    bottom = 0.38 * legend_rows + 0.15
    height = top + bottom + BAR_INCHES * max(len(shown), 1)
    figure, axes = plt.subplots(figsize=(WIDTH_PX / DPI, height), dpi=DPI)
    try:
        names = [_shorten(short_school_name(name)) for name, _ in shown]
        positions = list(range(len(shown)))[::-1]  # the worst at the top
        widest = max((sum(counter.values()) for _, counter in shown), default=1) or 1
        left = [0] * len(shown)
        for what in present:
            counts = [counter[what] for _, counter in shown]
            bars = axes.barh(
                positions, counts, left=left, height=0.7, color=COLOURS[what], label=labels[what]
            )
            # A count inside its segment when the segment is wide enough to hold it.
            axes.bar_label(
                bars,
                labels=[str(c) if c and c / widest >= 0.06 else "" for c in counts],
                label_type="center",
                fontsize=FONT_PT - 1,
                color=_FIGURE_COLOURS.get(what, "white"),
            )
            left = [a + b for a, b in zip(left, counts, strict=True)]
        for position, total in zip(positions, left, strict=True):
            axes.text(total, position, f" {total}", va="center", fontsize=FONT_PT)
        axes.set_yticks(positions, names, fontsize=FONT_PT)
        axes.set_xlim(0, widest * 1.15)  # room for the totals
        axes.xaxis.set_visible(False)  # the counts are on the bars
        axes.spines[["top", "right", "bottom"]].set_visible(False)
        axes.tick_params(axis="y", length=0)
        figure.suptitle("\n".join(title_lines), fontsize=FONT_PT, x=0.02, ha="left")
        if present:
            figure.legend(
                loc="lower left",
                fontsize=FONT_PT,
                frameon=False,
                ncols=LEGEND_COLUMNS,
                handlelength=1.0,
                columnspacing=1.0,
                borderaxespad=0.2,
            )
        figure.subplots_adjust(
            left=_left_margin(names), right=0.98, top=1 - top / height, bottom=bottom / height
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def _left_margin(names: list[str]) -> float:
    """Room for the longest name: about 0.7 em per character (Cyrillic capitals are wide)."""
    longest = max((len(name) for name in names), default=4)
    inches = longest * FONT_PT * 0.7 / 72 + 0.2
    return min(0.62, inches / (WIDTH_PX / DPI))


def _shorten(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
