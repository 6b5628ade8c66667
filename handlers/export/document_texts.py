"""The words of the written implementation report, in the reader's language, with Russian
plural forms («1 мероприятие», «2 мероприятия», «5 мероприятий») from the catalogs."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.progress.columns import table_2
from domain.progress.names import signature_name
from domain.progress.report_figures import ReportFigures, percent
from formats.report_document import ReportDocumentTexts
from storage.models import Person, Roadmap
from storage.usecases.export import ExportScope

SIGN_BY_HAND = "______________________________"

# The issuing body in the genitive, as «приказом …» needs it: the first word of the usual names.
_GENITIVE = {
    "Управление": "Управления",
    "Комитет": "Комитета",
    "Отдел": "Отдела",
    "Департамент": "Департамента",
    "Администрация": "Администрации",
    "Министерство": "Министерства",
}
_DRAFT_PREFIX = "дорожная карта "


def document_texts(
    roadmap: Roadmap,
    figures: ReportFigures,
    scope: ExportScope,
    signer: Person | None,
    *,
    issuer: str = "",
    notes: tuple[str, str] = ("", ""),
) -> ReportDocumentTexts:
    """``issuer``: the issuing body when the roadmap's order does not name one (a setting);
    ``notes``: «Пояснительная записка» and «Выводы и предложения» as the coordinator typed
    them (empty: left out)."""
    body = (roadmap.issuer or issuer or "").strip()
    explanatory, conclusions = notes
    return ReportDocumentTexts(
        issuer=body,
        grif=grif(roadmap, body),
        heading=_("REPORT"),
        subject=subject(roadmap.title, period_words(scope, roadmap)),
        explanatory_heading=_("Explanatory note"),
        explanatory=explanatory,
        summary_heading=_("Summary"),
        summary=summary(figures, scope.as_of),
        table_caption=_("Table 2"),
        columns=table_2(scope.as_of),
        conclusions_heading=_("Conclusions and proposals"),
        conclusions=conclusions,
        position=(signer.position or "").strip() if signer else SIGN_BY_HAND,
        name=signature_name(signer.full_name) if signer else SIGN_BY_HAND,
        signed_on=f"{scope.as_of:%d.%m.%Y}",
        page=_("Page"),
    )


def grif(roadmap: Roadmap, body: str) -> tuple[str, ...]:
    """«Утверждено» / «приказом Управления образованием …» / «№ 61 от 20.02.2026»; nothing
    when the order is not known."""
    if not (roadmap.order_number or roadmap.order_on):
        return ()
    first, _space, rest = body.partition(" ")
    whose = f"{_GENITIVE[first]} {rest}".strip() if first in _GENITIVE else ""
    order = " ".join(
        part
        for part in (
            f"№ {roadmap.order_number}" if roadmap.order_number else "",
            _("of {date}").format(date=f"{roadmap.order_on:%d.%m.%Y}") if roadmap.order_on else "",
        )
        if part
    )
    by_order = _("by order of {body}").format(body=whose) if whose else _("by order")
    return (_("«Approved»"), by_order, order)


def subject(title: str, period: str) -> str:
    """«о ходе реализации дорожной карты повышения качества … за период с … по …»: a title
    that starts with «Дорожная карта» is declined, any other is quoted."""
    if title.lower().startswith(_DRAFT_PREFIX):
        return _("on the implementation of the roadmap {rest} {period}").format(
            rest=title[len(_DRAFT_PREFIX) :].strip(), period=period
        )
    return _("on the implementation of the roadmap «{title}» {period}").format(
        title=title, period=period
    )


def period_words(scope: ExportScope, roadmap: Roadmap) -> str:
    """«за период с 01.01.2026 по 20.04.2026»; «за 2026 год» only once that year is over."""
    as_of = scope.as_of
    start = scope.since.date() if scope.since is not None else date(as_of.year, 1, 1)
    start = max(start, roadmap.period_start_on) if scope.since is None else start
    if start == date(as_of.year, 1, 1) and as_of == date(as_of.year, 12, 31):
        return _("for {year}").format(year=as_of.year)
    return _("for the period from {start} to {end}").format(
        start=f"{start:%d.%m.%Y}", end=f"{as_of:%d.%m.%Y}"
    )


def summary(figures: ReportFigures, as_of: date) -> str:
    """The figures, whose parts add up to the whole they are parts of."""
    sentences = [
        ngettext(
            "The roadmap has {n} measure.", "The roadmap has {n} measures.", figures.measures
        ).format(n=figures.measures)
    ]
    day = f"{as_of:%d.%m.%Y}"
    if figures.due == 0:
        sentences.append(_("No report was due by {date} yet.").format(date=day))
    else:
        sentences.append(
            ngettext(
                "By {date}, {n} report was due (for each school and each deadline):",
                "By {date}, {n} reports were due (for each school and each deadline):",
                figures.due,
            ).format(date=day, n=figures.due)
        )
        parts = [
            _("done on time — {n}").format(n=figures.done_on_time),
            _("done late — {n}").format(n=figures.done_late),
            _("reported as not done — {n}").format(n=figures.not_done),
            _("not done by the deadline — {n}").format(n=figures.overdue),
        ]
        if figures.in_progress:
            parts.append(_("in progress on the deadline day — {n}").format(n=figures.in_progress))
        if figures.waiting:
            parts.append(_("due today, not reported yet — {n}").format(n=figures.waiting))
        sentences[-1] += " " + "; ".join(parts) + "."
        share = figures.on_time_share or 0.0
        sentences.append(
            _("The share done on time is {share} ({on_time} of {due}).").format(
                share=percent(share), on_time=figures.done_on_time, due=figures.due
            )
        )
    if figures.ahead:
        sentences.append(
            ngettext(
                "Besides, {n} report was done ahead of a later deadline.",
                "Besides, {n} reports were done ahead of later deadlines.",
                figures.ahead,
            ).format(n=figures.ahead)
        )
    return " ".join(sentences)
