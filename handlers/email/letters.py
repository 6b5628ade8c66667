"""The e-mails in their reader's language: the day's e-mail to someone in no messenger, and
the weekly digest for a coordinator who asked for it by e-mail. Called with the reader's
language current (``I18n.use_locale``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date

from domain.labels import shorten
from domain.names import address_name
from domain.progress import Digest
from formats.email_message import (
    XLSX,
    Attachment,
    Block,
    Bullets,
    Image,
    Letter,
    Link,
    Links,
    Paragraph,
)
from handlers.common.join_links import JoinLink, messenger_of_label
from handlers.common.texts import press_start
from handlers.digest.weekly import digest_entries
from handlers.report.reminders import days_word
from storage.usecases.email.contact import CoordinatorContact
from storage.usecases.email.daily import DailyDeadline, DailyRecipient

TITLE_CHARS = 200
RESULT_CHARS = 300


def daily_letter(
    recipient: DailyRecipient,
    today: date,
    links: list[JoinLink],
    link_expires: datetime,
    unsubscribe_url: str | None,
    locale: str,
    coordinator: CoordinatorContact | None = None,
) -> Letter:
    overdue = [d for d in recipient.deadlines if d.due_on < today]
    soon = [d for d in recipient.deadlines if d.due_on >= today]
    count = len(recipient.deadlines)
    subject = ngettext(
        "Roadmap: {count} measure waits for your report",
        "Roadmap: {count} measures wait for your report",
        count,
    ).format(count=count)
    if overdue:
        subject += " " + ngettext("({count} overdue)", "({count} overdue)", len(overdue)).format(
            count=len(overdue)
        )
    blocks: list[Block] = [
        Paragraph(_("Good day, {name}!").format(name=address_name(recipient.full_name))),
        Paragraph(
            _(
                "This is a reminder from the bot of the roadmap «{title}». These measures are "
                "assigned to you or to your school, and the education department is waiting "
                "for your report on them."
            ).format(title=shorten(recipient.roadmap_title, TITLE_CHARS))
        ),
    ]
    if overdue:
        blocks.append(
            Bullets(
                _("Overdue ({count}):").format(count=len(overdue)),
                [_deadline_line(d, today, locale) for d in overdue],
            )
        )
    if soon:
        blocks.append(
            Bullets(
                _("Due soon ({count}):").format(count=len(soon)),
                [_deadline_line(d, today, locale) for d in soon],
            )
        )
    blocks += [
        Paragraph(
            _(
                "Report in the chat: open your link, {press_start}, and the bot shows these "
                "measures with the buttons «Done», «In progress» and «Not done». Once you have "
                "joined, reminders come in the messenger and these e-mails stop."
            ).format(press_start=press_start(messenger_of_label(x.messenger) for x in links)),
            strong=True,
        ),
        Links([Link(link.messenger, link.url) for link in links]),
        Paragraph(
            _("The link is yours alone and works until {date}; please do not forward it.").format(
                date=format_date(link_expires.date(), "d MMMM y", locale=locale)
            )
        ),
        *_signature(coordinator),
    ]
    footer: list[Block] = [
        Paragraph(
            _(
                "You receive this e-mail because the roadmap names you as responsible and you "
                "have not joined the bot in a messenger."
            )
        ),
        _unsubscribe_without_bot(unsubscribe_url),
    ]
    return Letter(subject, blocks, footer, language=locale)


def _signature(coordinator: CoordinatorContact | None) -> list[Block]:
    """Whom to ask: the coordinator by name, with her phone when the bot knows it. A reply to
    the e-mail reaches her too (Reply-To)."""
    if coordinator is None:
        return []
    if coordinator.phone:
        text = _("Questions: {name}, roadmap coordinator, phone {phone}.").format(
            name=coordinator.full_name, phone=coordinator.phone
        )
    else:
        text = _("Questions: {name}, roadmap coordinator.").format(name=coordinator.full_name)
    if coordinator.email:
        text += " " + _("You can also simply reply to this e-mail.")
    return [Paragraph(text)]


def _unsubscribe_without_bot(url: str | None) -> Block:
    """For someone who may never have joined the bot: no «send /email to the bot»."""
    if url is None:
        return Paragraph(
            _(
                "To stop these e-mails, reply to this one and ask the coordinator to remove "
                "your address."
            )
        )
    return Links([Link(_("Unsubscribe from these e-mails"), url)])


def _deadline_line(deadline: DailyDeadline, today: date, locale: str) -> str:
    line = _("{number} {title} — due {date}, {when}").format(
        number=deadline.measure_number,
        title=shorten(deadline.measure_title, TITLE_CHARS),
        date=format_date(deadline.due_on, "d MMMM y", locale=locale),
        when=days_word(deadline.due_on, today),
    )
    if deadline.planned_result:
        line += "\n" + _("Expected: {result}").format(
            result=shorten(deadline.planned_result, RESULT_CHARS)
        )
    return line


@dataclass(frozen=True)
class ReportFile:
    """One roadmap's report for the digest's e-mail. ``number``: the roadmap's number in the
    bot's lists when the department runs several (it names the file), else ``None``.
    ``data``: ``None`` when the file would make the e-mail too large: the letter names it and
    says where to get it."""

    number: int | None
    title: str
    data: bytes | None

    def file_name(self, day: date) -> str:
        name = f"Отчет о реализации на {day:%d.%m.%Y}"
        return (
            f"{name} (дорожная карта № {self.number}).xlsx"
            if self.number is not None
            else f"{name}.xlsx"
        )


def digest_letter(
    digest: Digest,
    chart: bytes | None,
    reports: list[ReportFile],
    unsubscribe_url: str | None,
    locale: str,
) -> Letter:
    """The digest's text; the chart inline; each active roadmap's implementation report
    attached (none: no roadmap yet, or too large for e-mail: the text says which)."""
    day = f"{digest.as_of:%d.%m.%Y}"
    blocks: list[Block] = [Paragraph(entry) for entry in digest_entries(digest)]
    if chart is not None:
        blocks.append(
            Image(
                "chart@roadmap-bot",
                chart,
                _("Chart: measures by organisation on {date}").format(date=day),
            )
        )
    attached = [report for report in reports if report.data is not None]
    left_out = [report for report in reports if report.data is None]
    attachments = [
        Attachment(report.file_name(digest.as_of), report.data, *XLSX)
        for report in reports
        if report.data is not None
    ]
    blocks.extend(_reports_said(reports, attached, left_out, day))
    footer: list[Block] = [
        Paragraph(
            _(
                "You receive the digest by e-mail because you turned it on in the bot. "
                "Turn it off there with /email."
            )
        ),
        _unsubscribe(unsubscribe_url),
    ]
    return Letter(
        _("Roadmap digest on {date}").format(date=day),
        blocks,
        footer,
        attachments,
        language=locale,
    )


def _reports_said(
    reports: list[ReportFile], attached: list[ReportFile], left_out: list[ReportFile], day: str
) -> list[Block]:
    """What is attached, and each report left out (too large for the e-mail) by its roadmap's
    number and title, with where to get it: nothing is dropped without a word."""
    if not reports:
        return [Paragraph(_("The report is not attached: get it in the bot with /export."))]
    if len(reports) == 1:  # one roadmap: no numbers
        if attached:
            return [
                Paragraph(
                    _(
                        "Attached: the implementation report on {date} («Отчет», «Свод», "
                        "«Ответы»). The same buttons and details are in the bot: /digest and "
                        "/export."
                    ).format(date=day)
                )
            ]
        return [
            Paragraph(
                _(
                    "The implementation report is not attached: the e-mail would be too large "
                    "with it. Get it in the bot with /export."
                )
            )
        ]
    blocks: list[Block] = []
    if attached and not left_out:
        blocks.append(
            Paragraph(
                _(
                    "Attached: the implementation report of each roadmap on {date} («Отчет», "
                    "«Свод», «Ответы»), each file named by the roadmap's number:\n{titles}\n"
                    "The same buttons and details are in the bot: /digest and /export."
                ).format(date=day, titles=_titles(attached))
            )
        )
    elif attached:
        blocks.append(
            Paragraph(
                _(
                    "Attached: the implementation report on {date} («Отчет», «Свод», «Ответы») "
                    "of these roadmaps, each file named by the roadmap's number:\n{titles}"
                ).format(date=day, titles=_titles(attached))
            )
        )
    if left_out:
        said = (
            _(
                "Not attached: the report of this roadmap, the e-mail would be too large with "
                "it. Get it in the bot with /export, choosing the roadmap by its number:\n"
                "{titles}"
            )
            if len(left_out) == 1
            else _(
                "Not attached: the reports of these roadmaps, the e-mail would be too large "
                "with them. Get them in the bot with /export, choosing each roadmap by its "
                "number:\n{titles}"
            )
        )
        blocks.append(Paragraph(said.format(titles=_titles(left_out)), strong=True))
    return blocks


def _titles(reports: list[ReportFile]) -> str:
    return "\n".join(f"№ {report.number}. «{shorten(report.title, 160)}»" for report in reports)


def _unsubscribe(url: str | None) -> Block:
    if url is None:
        return Paragraph(
            _(
                "To stop these e-mails, send /email to the bot and turn them off, or ask the "
                "coordinator to remove your address."
            )
        )
    return Links([Link(_("Unsubscribe from these e-mails"), url)])
