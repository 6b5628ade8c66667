"""``roadmap-bot indicators collect NUMBER``: confirm how an indicator's figures are collected
(who reports, one count or two numbers with their questions, as of which dates), as
/indicators does in the chat."""

from __future__ import annotations

import dataclasses
import sys
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.settings import Settings
from cli.roadmap_choice import the_roadmap
from domain.indicators.collection import ReporterKind, Shape, read_dates, read_reporters
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_collection import (
    NoReportersError,
    collection_of,
    indicator_by_number,
    save_rule,
)


def _fail(message: str) -> int:
    print(f"roadmap-bot: {message}", file=sys.stderr)
    return 2


async def run_collect_indicator(
    settings: Settings,
    number: str,
    *,
    who: str,
    count: str | None,
    share: list[str] | None,
    as_of: str | None,
    roadmap_words: str | None = None,
) -> int:
    reporters = read_reporters(who)
    if reporters is None:
        return _fail(f"--who «{who}»: use all, tag:NAME, org:ID,ID or department")
    dates = read_dates(as_of) if as_of is not None else None
    if as_of is not None and dates is None:
        return _fail(f"--as-of «{as_of}»: use dates such as 2026-12-20,2027-12-20")
    if count is not None and not count.strip():
        return _fail("--count: the question is empty")
    if share is not None and not all(q.strip() for q in share):
        return _fail("--share: a question is empty")
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            today = SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()
            roadmap = await the_roadmap(
                uow, roadmap_words, today=today, command="indicators collect"
            )
            if isinstance(roadmap, int):
                return roadmap
            indicator_id = await indicator_by_number(uow, number, roadmap.id)
            current = await collection_of(uow, indicator_id) if indicator_id else None
            if indicator_id is None or current is None:
                return _fail(f"no indicator № {number} in «{roadmap.title}»")
            rule = dataclasses.replace(current.rule, reporters=reporters)
            if count is not None:
                rule = dataclasses.replace(
                    rule, shape=Shape.COUNT, numerator_question=count.strip(),
                    denominator_question=None,
                )  # fmt: skip
            if share is not None:
                rule = dataclasses.replace(
                    rule, shape=Shape.SHARE, numerator_question=share[0].strip(),
                    denominator_question=share[1].strip(),
                )  # fmt: skip
            if dates is not None:
                rule = dataclasses.replace(rule, as_of=dates)
            try:
                saved = await save_rule(
                    uow, indicator_id, rule, person_id=None, now=SystemClock().now()
                )
            except NoReportersError:
                return _fail(f"--who «{who}»: no organisation matches")
            await uow.commit()
    finally:
        await engine.dispose()
    asked = (
        "the department enters the value"
        if saved.rule.reporters.kind is ReporterKind.DEPARTMENT
        else f"{saved.reporters_count} organisations report"
    )
    dates_text = ", ".join(f"{d:%d.%m.%Y}" for d in saved.rule.as_of)
    print(f"Indicator № {saved.number}: {asked}, as of {dates_text}.")
    print(f"  {saved.rule.numerator_question}")
    if saved.rule.denominator_question:
        print(f"  {saved.rule.denominator_question}")
    return 0
