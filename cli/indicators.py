"""``roadmap-bot indicators [--roadmap WHICH] [--as-of DATE] [--json]``: «Таблица 1» as the report prints it, or
every indicator's values by date as JSON for another program."""

from __future__ import annotations

import json
import sys
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.clock import SystemClock
from bot.i18n import build_i18n
from bot.settings import Settings
from cli.roadmap_choice import the_roadmap
from domain.indicators.answers import Refused, read_figures
from handlers.export.indicator_texts import table1
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Indicator, IndicatorCollection
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_counting import record_figure
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
            roadmap = await the_roadmap(uow, roadmap_words, today=day, command="indicators")
            if isinstance(roadmap, int):
                return roadmap
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


async def run_enter_value(
    settings: Settings,
    number: str,
    value: str,
    *,
    as_of: date,
    roadmap_words: str | None = None,
) -> int:
    """``roadmap-bot indicators enter NUMBER VALUE --as-of DATE``: the municipal value of an
    indicator the department reports itself (no school is asked), as the coordinator has it."""
    program = "roadmap-bot indicators enter"
    # Read as the heads' figures are (a decimal comma, spaces in thousands); the value is in
    # the indicator's own unit, so a «%» after it is only its unit.
    read = read_figures(value.replace("%", ""), counts=False)
    if isinstance(read, Refused) or read.second is not None:
        print(f"{program}: «{value}» is not a number (e.g. 10,3)", file=sys.stderr)
        return 2
    figure = read.first
    today = SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            roadmap = await the_roadmap(uow, roadmap_words, today=today, command="indicators")
            if isinstance(roadmap, int):
                return roadmap
            indicator = await session.scalar(
                select(Indicator).where(
                    Indicator.roadmap_id == roadmap.id, Indicator.number == number
                )
            )
            if indicator is None:
                print(f"{program}: no indicator № {number} in that roadmap", file=sys.stderr)
                return 2
            rule = await session.scalar(
                select(IndicatorCollection).where(IndicatorCollection.indicator_id == indicator.id)
            )
            if rule is None or rule.aggregate != "manual":
                print(
                    f"{program}: indicator № {number} is collected from the schools; its value "
                    "is their sum. Make the department report it first: "
                    f"roadmap-bot indicators collect {number} --who department",
                    file=sys.stderr,
                )
                return 2
            now = SystemClock().now()
            await record_figure(
                uow,
                indicator_id=indicator.id,
                organisation_id=None,
                as_of_on=as_of,
                numerator=figure,
                denominator=None,
                now=now,
            )
            uow.audit.add(
                at=now,
                action="indicator.enter",
                details={"indicator_id": indicator.id, "as_of": as_of.isoformat()},
            )
            await uow.commit()
    finally:
        await engine.dispose()
    print(f"indicator № {number} as of {as_of:%d.%m.%Y}: {value}")
    return 0
