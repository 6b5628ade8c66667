"""Finding 3 of the outside review: an observer of a school pressed a forged «Выполнено»
(``v1rep:<occurrence>:done``) and her report was saved and closed the school's deadline.
Every button that acts on an occurrence now asks one rule (``domain.access``) first."""

from __future__ import annotations

from sqlalchemy import select, update

from domain.roles import Role
from handlers.common.callbacks import FormCb, PickCb, ReportCb, ReportStepCb, SnoozeCb
from storage.engine import create_engine
from storage.models import Person, Reminder, StatusReport
from tests.conftest import RunningBot
from tests.handlers.test_reports import reminded, rows
from tests.support import row_counts

REFUSED = "Эта кнопка не для вас"


def occurrence_of(reminder: dict[str, object]) -> int:
    """The occurrence a reminder's «Выполнено» acts on, as a forger would read it."""
    markup = reminder["reply_markup"]
    assert isinstance(markup, dict)
    for row in markup["inline_keyboard"]:
        for button in row:
            if str(button["callback_data"]).startswith("v1rep:"):
                return ReportCb.unpack(button["callback_data"]).occurrence_id
    raise AssertionError("no report button")


async def test_an_observer_of_the_school_cannot_report_with_a_forged_button(
    running_bot: RunningBot,
) -> None:
    _coordinator, _maria, _petr, reminder = await reminded(running_bot)
    occurrence_id = occurrence_of(reminder)
    olga = await running_bot.join_as("Ольга", "Сидорова Ольга", Role.OBSERVER, "СОШ № 1")
    before = await row_counts(running_bot.session_factory)
    reminders_before = [(r.id, r.state) for r in await rows(running_bot, Reminder)]

    # The attack as the review ran it: «Выполнено» forged, a result typed, saved.
    # Buttons are pressed on a message in her own chat, as a forger's client would.
    done = await olga.press_data(ReportCb(occurrence_id=occurrence_id, action="done").pack())
    await olga.ask("Всё сделано")
    await olga.press_data(ReportStepCb(action="skip_evidence").pack())
    await olga.press_data(ReportStepCb(action="save").pack())
    assert await rows(running_bot, StatusReport) == []
    assert done["show_alert"] and REFUSED in str(done["text"]), done

    for data in (
        ReportCb(occurrence_id=occurrence_id, action="extend").pack(),
        PickCb(occurrence_id=occurrence_id).pack(),
        SnoozeCb(occurrence_id=occurrence_id, days=1).pack(),
        FormCb(occurrence_id=occurrence_id).pack(),
    ):
        answer = await olga.press_data(data)
        assert answer["show_alert"] and REFUSED in str(answer["text"]), (data, answer)

    assert [(r.id, r.state) for r in await rows(running_bot, Reminder)] == reminders_before
    assert await row_counts(running_bot.session_factory) == before


async def test_a_report_begun_before_the_head_became_an_observer_ends_at_its_next_step(
    running_bot: RunningBot,
) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.press("Выполнено")
    assert "что сделано" in str((await maria.next_message())["text"])
    async with running_bot.session_factory() as session:  # the ORM: the identity cache sees it
        head = await session.scalar(select(Person).where(Person.full_name.like("Иванова%")))
        assert head is not None
        head.role = Role.OBSERVER.value
        await session.commit()
    before = await row_counts(running_bot.session_factory)

    refused = await maria.ask("Педсовет проведён")
    assert "Это действие вам недоступно" in str(refused["text"])
    await maria.press_data(ReportStepCb(action="skip_evidence").pack())
    await maria.press_data(ReportStepCb(action="save").pack())

    assert await rows(running_bot, StatusReport) == []
    assert await row_counts(running_bot.session_factory) == before


async def test_a_role_changed_elsewhere_counts_at_the_next_press_not_when_the_cache_expires(
    running_bot: RunningBot, db_url: str
) -> None:
    """Found by the outside review: the rule took the role from the identity cache, so a head
    made an observer by the command line or another replica could still report for up to the
    cache's lifetime. Here the change comes through an engine of its own, as the CLI's would."""
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.ask("/help")  # the head is now in the identity cache
    elsewhere = create_engine(db_url)
    try:
        async with elsewhere.begin() as connection:
            await connection.execute(
                update(Person)
                .where(Person.full_name.like("Иванова%"))
                .values(role=Role.OBSERVER.value)
            )
    finally:
        await elsewhere.dispose()

    answer = await maria.press("Выполнено")
    assert answer["show_alert"] and "не для вас" in str(answer["text"])
    assert await rows(running_bot, StatusReport) == []
