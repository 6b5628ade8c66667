"""bench/results.json: every figure with its baseline, ratio, target and whether it was met."""

from __future__ import annotations

import json
from pathlib import Path

from bench import results


def test_ratios_targets_and_the_file(tmp_path: Path) -> None:
    results._recorded.clear()
    sent = results.record("sent", 291.0, "msg/s", baseline=300.0, target=">= 0.9")
    slow = results.record("export", 12.0, "s", baseline=19.0, target="<= 0.6")
    query = results.record("query", 38.4, "ms", target="< 200")
    plain = results.record("deadlines", 19_500.0, "texts/s")
    assert (sent.ratio, sent.met) == (0.97, True)
    assert (slow.ratio, slow.met) == (0.632, False)
    assert (query.ratio, query.met) == (None, True)
    assert (plain.target, plain.met) == (None, None)
    written = json.loads(results.write(tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [set(item) for item in written] == [
        {"name", "value", "unit", "baseline", "ratio", "target", "met"}
    ] * 4
    assert written[1] == {
        "name": "export",
        "value": 12.0,
        "unit": "s",
        "baseline": 19.0,
        "ratio": 0.632,
        "target": "<= 0.6",
        "met": False,
    }
    results._recorded.clear()
