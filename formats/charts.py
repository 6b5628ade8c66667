"""The digest's picture: one horizontal bar per organisation, split by standing, worst first."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from domain.progress import WORST_FIRST, Standing

COLOURS: dict[Standing, str] = {
    Standing.OVERDUE: "#d62728",
    Standing.NOT_DONE: "#ff7f0e",
    Standing.NO_ANSWER: "#bdbdbd",
    Standing.IN_PROGRESS: "#1f77b4",
    Standing.DONE: "#2ca02c",
}
MAX_BARS = 40  # a readable picture; the rest are in the text
LABEL_CHARS = 38


def standings_chart(
    organisations: Sequence[tuple[str, Counter[Standing]]],
    labels: Mapping[Standing, str],
    title: str,
) -> bytes:
    """A PNG. ``organisations`` come worst first and are drawn top to bottom in that order."""
    shown = list(organisations[:MAX_BARS])
    height = 1.6 + 0.32 * max(len(shown), 1)
    figure, axes = plt.subplots(figsize=(9, height), dpi=100)
    try:
        names = [_shorten(name) for name, _ in shown]
        positions = list(range(len(shown)))[::-1]  # the worst at the top
        left = [0] * len(shown)
        for what in WORST_FIRST:
            counts = [counter[what] for _, counter in shown]
            axes.barh(positions, counts, left=left, color=COLOURS[what], label=labels[what])
            left = [a + b for a, b in zip(left, counts, strict=True)]
        axes.set_yticks(positions, names, fontsize=8)
        axes.set_title(title, fontsize=11)
        figure.legend(loc="lower center", fontsize=8, frameon=False, ncols=len(WORST_FIRST))
        axes.spines[["top", "right"]].set_visible(False)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts, not fractions
        figure.tight_layout(rect=(0, 0.4 / height, 1, 1))  # room for the legend below
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def _shorten(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
