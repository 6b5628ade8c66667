"""``roadmap-bot indicators collect NUMBER``: who reports, one count or two numbers with their
questions, the as-of dates; what cannot be read is refused and changes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.documents import seed_document, to_docx, with_indicators
from storage.engine import create_engine, create_session_factory
from storage.models import Indicator, IndicatorCollection, Occurrence, Organisation, Roadmap
from tests.test_settings_and_cli import cli

pytestmark = pytest.mark.process


async def _schools(url: str) -> None:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        for name in ("СОШ № 1", "СОШ № 2"):
            session.add(Organisation(name=name, kind="school", created_at=datetime.now(UTC)))
        await session.commit()
    await engine.dispose()


async def _stored(url: str) -> tuple[IndicatorCollection, int]:
    """The rule, and how many occurrences its carrier measure holds."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        collection = await session.scalar(select(IndicatorCollection))
        assert collection is not None
        occurrences = len(
            list(
                await session.scalars(
                    select(Occurrence.id).where(
                        Occurrence.measure_id == collection.measure_id,
                        Occurrence.status == "open",
                    )
                )
            )
        )
    await engine.dispose()
    return collection, occurrences


def test_collect_sets_who_what_and_when(tmp_path: Path) -> None:
    path = tmp_path / "Дорожная карта.docx"
    path.write_bytes(with_indicators(to_docx(seed_document("ust_kut"))))
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    env = {"DB__URL": url}
    assert cli("import", str(path), env=env, cwd=tmp_path).returncode == 0
    asyncio.run(_schools(url))

    refused = cli("indicators", "collect", "1", "--who", "everyone", env=env, cwd=tmp_path)
    assert refused.returncode == 2 and "--who «everyone»" in refused.stderr
    refused = cli("indicators", "collect", "1", "--as-of", "31.02.2026", env=env, cwd=tmp_path)
    assert refused.returncode == 2 and "--as-of" in refused.stderr
    missing = cli("indicators", "collect", "9", env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "no indicator № 9" in missing.stderr
    collection, _names = asyncio.run(_stored(url))
    assert collection.confirmed_at is None  # nothing changed by the refusals

    done = cli(
        "indicators",
        "collect",
        "1",
        "--who",
        "all",
        "--share",
        "Сколько педагогов прошли диагностику?",
        "Сколько всего педагогов в школе?",
        "--as-of",
        "2026-12-20,2027-12-20",
        env=env,
        cwd=tmp_path,
        process=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Indicator № 1: 2 organisations report, as of 20.12.2026, 20.12.2027." in done.stdout
    collection, occurrences = asyncio.run(_stored(url))
    assert collection.confirmed_at is not None and collection.shape == "share"
    assert occurrences == 4  # two schools, two dates
    assert collection.denominator_question == "Сколько всего педагогов в школе?"
    assert collection.as_of == ["2026-12-20", "2027-12-20"]

    counted = cli(
        "indicators", "collect", "1", "--who", "department", "--count", "Сколько?",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert counted.returncode == 0, counted.stderr
    assert "the department enters the value" in counted.stdout
    collection, occurrences = asyncio.run(_stored(url))
    assert occurrences == 0  # the schools are no longer asked
    assert collection.shape == "count" and collection.denominator_question is None
    assert collection.aggregate == "manual"

    # A second roadmap with indicators: the command no longer guesses which one is meant.
    shnor = tmp_path / "ШНОР.docx"
    shnor.write_bytes(with_indicators(to_docx(seed_document("ust_ilimsk"))))
    assert cli("import", str(shnor), env=env, cwd=tmp_path).returncode == 0
    unchosen = cli("indicators", "collect", "1", "--count", "Сколько?", env=env, cwd=tmp_path)
    assert unchosen.returncode == 2 and "runs 2 roadmaps" in unchosen.stderr
    chosen = cli(
        "indicators", "collect", "1", "--roadmap", "Усть-Кут", "--who", "all",
        "--count", "Сколько педагогов прошли диагностику?", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    engine_url = url

    async def ust_kut_rule() -> IndicatorCollection:
        engine = create_engine(engine_url)
        async with create_session_factory(engine)() as session:
            rule = await session.scalar(
                select(IndicatorCollection)
                .join(Indicator, Indicator.id == IndicatorCollection.indicator_id)
                .join(Roadmap, Roadmap.id == Indicator.roadmap_id)
                .where(Roadmap.title.contains("Усть-Кут"))
            )
        await engine.dispose()
        assert rule is not None
        return rule

    rule = asyncio.run(ust_kut_rule())
    assert rule.numerator_question == "Сколько педагогов прошли диагностику?"
    assert rule.aggregate != "manual"
