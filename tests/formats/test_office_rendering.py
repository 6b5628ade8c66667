"""Every .docx and .xlsx the bot writes, opened in a real office suite (LibreOffice headless,
tests/office_suite.py) and checked on the rendered pages: no text drawn over other text, no
school's name cut, and the report of the seed 000 roadmap with three schools' answers as the
official layout (seed 004) prints it.

All the files are converted in one run of LibreOffice (it takes seconds to start)."""

from __future__ import annotations

import asyncio
import io
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.i18n import build_i18n
from demo.documents import seed_document
from domain.roadmap.build import build_draft
from domain.roles import Role
from formats.actual_results_sheet import ResultRow, write_sheet
from formats.report_document import report_document
from formats.request_forms.merge import Answer, merge_answers
from formats.request_forms.template import read_template
from formats.templates import invitation_links, people_template, roadmap_template
from handlers.export.report_files import write_document, write_export
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Assignment, Measure, Occurrence, Organisation, Person, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import draft_from_answers, save_result, set_report_notes
from storage.usecases.export import export_scope
from storage.usecases.planning import sync_occurrences
from storage.usecases.roadmaps import save_roadmap
from tests.fixtures.forms import filled_form, form_template
from tests.indicator_support import only_roadmap
from tests.office_suite import OfficeSuite, Rendered, page_images

pytestmark = pytest.mark.process  # starts LibreOffice: left to `make test`

SCHOOLS = (
    "МОУ СОШ № 2 г. Усть-Кута",
    "МОУ СОШ № 3 г. Усть-Кута",
    "МОУ «Средняя общеобразовательная школа № 5 имени Героя Советского Союза» г. Усть-Кута",
)
AS_OF = date(2026, 4, 20)
TIMEZONE = ZoneInfo("Asia/Irkutsk")
NOW = datetime(2026, 4, 20, 1, 0, tzinfo=UTC)
NOT_DUE = "Срок исполнения не наступил"
DEPARTMENT_DONE = "Выполнено: приказ Управления образованием УКМО № 61 от 20.02.2026"
# Set PAGE_IMAGES=folder to keep the report's pages as PNG images for a person to look at.
PAGES_FOLDER = os.environ.get("PAGE_IMAGES")


async def seed_000_with_three_schools(url: str) -> tuple[bytes, bytes]:
    """The seed 000 roadmap, three schools that answered what was due (one late on one
    measure), the coordinator's actual results from their accepted answers: the .docx and the
    .xlsx report on 20.04.2026."""
    engine = create_engine(url)
    await upgrade(engine)
    try:
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            for name in SCHOOLS:
                await uow.organisations.get_or_add(name, kind="school", now=NOW)
            coordinator = Person(
                full_name="Антипина Анна Михайловна",
                role=Role.COORDINATOR.value,
                position="Заместитель начальника Управления образованием УКМО",
                locale="ru",
                is_active=True,
                created_at=NOW,
                joined_at=NOW,
            )
            session.add(coordinator)
            draft = build_draft(seed_document("ust_kut"), fallback_year=2026)
            saved = await save_roadmap(uow, draft, now=NOW, timezone="Asia/Irkutsk")
            await sync_occurrences(uow, saved.measure_ids)
            await session.flush()
            await answer_everything_due(uow, coordinator)
            for measure in await session.scalars(select(Measure)):
                due = [day for day in measure.schedule_due if day <= AS_OF.isoformat()]
                answers = await draft_from_answers(uow, measure.id)
                text = answers or (DEPARTMENT_DONE if due else NOT_DUE)
                await save_result(
                    uow, measure.id, text, seen_version=0, person_id=coordinator.id, now=NOW
                )
            await set_report_notes(
                uow,
                saved.roadmap_id,
                AS_OF.year,
                explanatory="Отчет подготовлен по итогам реализации дорожной карты в первом "
                "квартале 2026 года.",
                conclusions="",
                now=NOW,
            )
            await uow.commit()
            i18n = build_i18n("ru")
            scope = export_scope(AS_OF, TIMEZONE)
            with i18n.context(), i18n.use_locale("ru"):
                roadmap = await only_roadmap(uow)
                document = await write_document(uow, scope, coordinator, roadmap)
                buffer = io.BytesIO()
                await write_export(uow, scope, buffer, roadmap)
            return document, buffer.getvalue()
    finally:
        await engine.dispose()


async def answer_everything_due(uow: UnitOfWork, coordinator: Person) -> None:
    """Each school's occurrence due by the report date: done, accepted, with evidence."""
    rows = await uow.session.execute(
        select(Occurrence, Organisation.name)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .join(Organisation, Organisation.id == Assignment.organisation_id)
        .where(Occurrence.due_on <= AS_OF, Organisation.kind == "school")
    )
    for occurrence, school in rows:
        head = Person(
            full_name=f"Руководитель {school}",
            role=Role.RESPONSIBLE.value,
            locale="ru",
            is_active=True,
            created_at=NOW,
        )
        uow.session.add(head)
        await uow.session.flush()
        number = school.split("№ ")[1][:1]
        uow.session.add(
            StatusReport(
                occurrence_id=occurrence.id,
                person_id=head.id,
                status="done",
                text=f"Дорожная карта школы утверждена приказом директора № {number}-од и "
                "размещена на официальном сайте",
                evidence_file_name=f"Приказ № {number}-од.pdf",
                review="accepted",
                reviewed_by_id=coordinator.id,
                reviewed_at=NOW,
                created_at=datetime.combine(occurrence.due_on, datetime.min.time(), UTC)
                - timedelta(days=1),
            )
        )
        occurrence.status = "closed"
        occurrence.closed_at = NOW


def other_files(folder: Path) -> dict[str, Path]:
    """The other workbooks the bot hands out, each with long names and wrapped text."""
    template = read_template(form_template())
    merged = folder / "merged.xlsx"
    merge_answers(
        template,
        [
            Answer(name, filled_form(note="Проверено заместителем директора по УВР"))
            for name in SCHOOLS
        ],
        ["МОУ «Основная общеобразовательная школа № 7» п. Звездный"],
        merged,
    )
    files = {
        "merged": merged,
        "roadmap_template": folder / "roadmap_template.xlsx",
        "people_template": folder / "people_template.xlsx",
        "invitations": folder / "invitations.xlsx",
        "actual_results": folder / "actual_results.xlsx",
    }
    files["roadmap_template"].write_bytes(roadmap_template())
    files["people_template"].write_bytes(people_template())
    files["invitations"].write_bytes(
        invitation_links(
            [
                (
                    name,
                    "Иванова Мария Петровна",
                    [("Telegram", "https://t.me/bot?start=x" * 2)],
                    "21.04.2026",
                )
                for name in SCHOOLS
            ]
        )
    )
    files["actual_results"].write_bytes(
        write_sheet(
            [
                ResultRow(
                    "П3.2",
                    "Разработка и утверждение дорожных карт повышения качества образования в ОО",
                    "\n".join(
                        f"{name}: Дорожная карта утверждена (Приказ.pdf)." for name in SCHOOLS
                    ),
                    "=Все три школы разработали и утвердили дорожные карты",
                    1,
                )
            ]
        )
    )
    return files


@pytest.fixture(scope="module")
def rendered(office: OfficeSuite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("office-files")
    url = f"sqlite+aiosqlite:///{folder / 'roadmap.sqlite3'}"
    document, workbook = asyncio.run(seed_000_with_three_schools(url))
    files = {"report_docx": folder / "report.docx", "report_xlsx": folder / "report-sheets.xlsx"}
    files["report_docx"].write_bytes(document)
    files["report_xlsx"].write_bytes(workbook)
    files.update(other_files(folder))
    pages = office.render(*files.values())
    if PAGES_FOLDER:
        page_images(pages[files["report_docx"]].pdf, Path(PAGES_FOLDER))
    return {name: pages[path] for name, path in files.items()}


def test_the_report_prints_as_the_official_layout(rendered: dict[str, Rendered]) -> None:
    report = rendered["report_docx"]
    text = report.flat()
    assert text.startswith("Управление образованием Усть-Кутского муниципального образования")
    assert "«Утверждено» приказом Управления образованием Усть-Кутского муниципального" in text
    assert "№ 61 от 20.02.2026" in text
    assert (
        "Отчет о ходе реализации дорожной карты повышения качества образования в Усть-Кутском "
        "муниципальном образовании на период до 2030 года за период с 01.01.2026 по 20.04.2026"
    ) in text
    assert "Пояснительная записка" in text and "Выводы и предложения" not in text
    assert "Таблица 2" in text
    for header in (
        "Период реализации",
        "Наименование мероприятия",
        "Муниципальный орган управления образованием; ФИО, должность ответственного",
        "Прогнозируемый результат (характеристики результата)",
        "Фактический результат на 20.04.2026",
    ):
        drawn = [word.text for word in report.words if word.page == 1]
        assert all(word in drawn for word in header.split()), header
    assert "Дорожная карта школы утверждена приказом директора № 2-од" in text
    assert "Просрочено" not in text and "Нет ответа" not in text
    assert "А.М. Антипина" in text
    assert "Антипина А.М., Заместитель начальника Управления образованием УКМО" in text
    assert "12 %" not in text


def test_the_report_figures_add_up(rendered: dict[str, Rendered]) -> None:
    text = rendered["report_docx"].flat()
    # Three schools answered all that was due; the department's own two measures were not
    # reported in the bot: 6 + 0 + 0 + 2 = 8.
    assert "В дорожной карте 22 мероприятия. К 20.04.2026 ожидалось 8 отчетов" in text
    assert "выполнено в срок — 6; выполнено с опозданием — 0;" in text
    assert "не выполнено по сообщению школы — 0; не выполнено к сроку — 2." in text
    assert "Доля выполненных в срок — 75 % (6 из 8)." in text


def test_the_report_needs_few_pages_and_nothing_overprints(rendered: dict[str, Rendered]) -> None:
    report = rendered["report_docx"]
    # 22 measures with the schools' answers in column 6: the official layout takes about a
    # page for six such rows; the bot's first layout took 13 pages for an empty column 6.
    assert report.pages <= 8, report.pages
    assert report.overlapping() == []


@pytest.mark.parametrize(
    "name",
    [
        "report_xlsx",
        "merged",
        "roadmap_template",
        "people_template",
        "invitations",
        "actual_results",
    ],
)
def test_no_workbook_overprints_its_text(rendered: dict[str, Rendered], name: str) -> None:
    assert rendered[name].overlapping() == [], name


def test_school_names_are_never_cut(rendered: dict[str, Rendered]) -> None:
    """Each word of each school's name is drawn, on every row it heads: a cut name loses its
    last words («МОУ СОШ» beside «2 класс»)."""
    merged = rendered["merged"]
    drawn = [word.text for word in merged.words]
    for school in SCHOOLS:
        for word in school.split():
            assert drawn.count(word) >= 3 * SCHOOLS.count(school), (school, word)
    assert "класс" in drawn


SIGNATURE_WORDS = frozenset(
    [
        "Заместитель",
        "начальника",
        "Управления",
        "образованием",
        "Усть-Кутского",
        "муниципального",
        "образования",
        "_______________",
        "А.М.",
        "Антипина",
        "21.04.2026",
    ]
)


def test_the_signature_is_never_split_across_pages(office: OfficeSuite, tmp_path: Path) -> None:
    """The signature's position, name and date on one page, wherever the page ends: the
    conclusions grow a line at a time until the signature has slid over a page's end. (A
    report of the demo printed «Заместитель начальника … А.М. Антипина» at the foot of page 8
    and «УКМО / 20.04.2026» alone on page 9.)"""
    from tests.formats.test_report_document import LINES, texts

    position = (
        "Заместитель начальника Управления образованием Усть-Кутского муниципального образования"
    )
    files = []
    for lines in range(0, 34, 2):
        conclusions = "\n".join(f"Предложение {n + 1}." for n in range(lines))
        document = report_document(
            texts(conclusions=conclusions, position=position, signed_on="21.04.2026"), LINES
        )
        path = tmp_path / f"signature-{lines:02}.docx"
        path.write_bytes(document)
        files.append(path)
    pages = office.render(*files)
    split = []
    for path in files:
        words = pages[path].words
        # The position's first word, the name and the date: the document's last words.
        on = {
            max(word.page for word in words if word.text == text)
            for text in ("Заместитель", "Антипина", "21.04.2026")
        }
        if len(on) > 1:
            split.append(path.name)
        # Nor alone: something of the report (the table's last row, the conclusions) is
        # on its page besides the signature and the page's number.
        (page,) = on
        others = [w.text for w in words if w.page == page and w.text not in SIGNATURE_WORDS]
        if not [word for word in others if word not in ("Страница", str(page))]:
            split.append(f"{path.name} alone")
    assert split == []
