"""``roadmap-bot indicators [--roadmap WHICH] [--as-of DATE] [--json]``: «Таблица 1» as the report prints it, or
every indicator's values by date as JSON for another program."""

from __future__ import annotations

import json
import sys
from datetime import date
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.i18n import build_i18n
from bot.settings import Settings
from cli.roadmap_choice import NOT_CHOSEN, RoadmapNotChosenError, choose_roadmap
from handlers.export.indicator_texts import table1
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_table import IndicatorLine, indicator_lines


async def run_indicators(
    settings: Settings, *, as_of: date | None, as_json: bool, roadmap_words: str | None = None
) -> int:
    day = as_of or SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            try:
                roadmap = await choose_roadmap(uow, roadmap_words, today=day, command="indicators")
            except RoadmapNotChosenError:
                return NOT_CHOSEN
            if roadmap is None:
                print("roadmap-bot indicators: no roadmap imported yet", file=sys.stderr)
                return 1
            lines = await indicator_lines(uow, roadmap.id)
    finally:
        await engine.dispose()
    if as_json:
        print(json.dumps([_as_json(line) for line in lines], ensure_ascii=False, indent=2))
        return 0
    if not lines:
        print("roadmap-bot indicators: the roadmap has no target indicators", file=sys.stderr)
        return 0
    i18n = build_i18n(settings.default_locale)
    with i18n.context(), i18n.use_locale(settings.default_locale):
        table = table1(lines, day)
    print(table.caption)
    print(" | ".join(table.columns))
    for row in table.rows:
        print(" | ".join((row.number, row.name, row.planned, row.actual, row.reached)))
    return 0


def _as_json(line: IndicatorLine) -> dict[str, object]:
    return {
        "number": line.number,
        "name": line.name,
        "unit": line.unit,
        "direction": line.direction.value if line.direction else None,
        "base": {"year": line.base_year, "value": line.base_value} if line.base_value else None,
        "years": [
            {
                "as_of": year.as_of.isoformat(),
                "target": year.target,
                "value": year.value.value,
                "numerator": year.value.sums.numerator if year.value.sums else None,
                "denominator": year.value.sums.denominator if year.value.sums else None,
                "answered": year.value.answered,
                "expected": year.value.expected,
                "reached": year.reached.value,
            }
            for year in line.years
        ],
    }
