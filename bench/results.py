"""Every benchmark's figures, gathered for bench/results.json (written by ``make bench``)."""

from __future__ import annotations

import json
import operator
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS_FILE = Path(__file__).with_name("results.json")
_COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt}


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    value: float
    unit: str
    baseline: float | None  # measured in the same run, or None when the issue named none
    ratio: float | None  # what the target applies to: value / baseline, or the value itself
    target: str | None  # e.g. ">= 0.9", "<= 0.6", "< 200"
    met: bool | None


_recorded: list[Result] = []


def record(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    target: str | None = None,
) -> Result:
    """Note a figure; with a target, ``met`` compares the ratio (or the value, without a
    baseline) against it."""
    ratio = value / baseline if baseline else None
    met = None
    if target is not None:
        sign, bound = target.split()
        met = _COMPARE[sign](ratio if ratio is not None else value, float(bound))
    result = Result(
        name,
        round(value, 3),
        unit,
        round(baseline, 3) if baseline else None,
        round(ratio, 3) if ratio else None,
        target,
        met,
    )
    _recorded.append(result)
    return result


def write(path: Path = RESULTS_FILE) -> Path:
    path.write_text(
        json.dumps([asdict(r) for r in _recorded], ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return path


def record_delivery(
    subject: str, delivered: list[int], elapsed: float, limit: float, *, prefix: str = ""
) -> tuple[float, int, int]:
    """A sending benchmark's figures: the rate against the limit (target >= 0.9), and how many
    recipients got nothing or more than one message (target 0). ``delivered``: messages per
    recipient. Returns (rate, lost, duplicated)."""
    rate = sum(delivered) / elapsed
    lost = delivered.count(0)
    duplicated = sum(1 for n in delivered if n > 1)
    record(subject, rate, "msg/s", baseline=limit, target=">= 0.9")
    record(f"{prefix}reminders lost", lost, "reminders", target="<= 0")
    record(f"{prefix}reminders duplicated", duplicated, "reminders", target="<= 0")
    return rate, lost, duplicated
