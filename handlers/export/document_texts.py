"""The words of the written implementation report, in the reader's language, with Russian
plural forms («1 мероприятие», «2 мероприятия», «5 мероприятий») from the catalogs."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.progress.report_figures import ReportFigures
from formats.report_document import ReportDocumentTexts
from storage.models import Person, Roadmap
from storage.usecases.export import ExportScope

SIGN_BY_HAND = "______________________________"


def document_texts(
    roadmap: Roadmap, figures: ReportFigures, scope: ExportScope, signer: Person | None
) -> ReportDocumentTexts:
    as_of = f"{scope.as_of:%d.%m.%Y}"
    period = (
        _("from {start} to {end}").format(start=f"{scope.since:%d.%m.%Y}", end=as_of)
        if scope.since is not None
        else _("for {year}").format(year=scope.as_of.year)
    )
    approval = None
    if roadmap.order_number or roadmap.order_on:
        approval = _("Approved by order № {number} of {date}").format(
            number=roadmap.order_number or "—",
            date=f"{roadmap.order_on:%d.%m.%Y}" if roadmap.order_on else "—",
        )
    return ReportDocumentTexts(
        heading=_("REPORT"),
        subject=_("on the implementation of «{title}» {period} (as of {date})").format(
            title=roadmap.title, period=period, date=as_of
        ),
        approval=approval,
        summary_heading=_("Summary"),
        summary=summary(figures, scope.as_of),
        table_caption=_("Table 2"),
        columns=(
            "№ п/п",
            _("Period"),
            _("Measure"),
            _("Responsible"),
            _("Expected result"),
            _("Actual result on {date}").format(date=as_of),
        ),
        position=(signer.position or "").strip() if signer else SIGN_BY_HAND,
        name=signer.full_name if signer else SIGN_BY_HAND,
        signed_on=as_of,
        page=_("Page"),
    )


def summary(figures: ReportFigures, as_of: date) -> str:
    sentences = [
        ngettext(
            "The roadmap has {n} measure.", "The roadmap has {n} measures.", figures.measures
        ).format(n=figures.measures)
    ]
    if figures.due == 0:
        sentences.append(_("No report was due by {date} yet.").format(date=f"{as_of:%d.%m.%Y}"))
        return " ".join(sentences)
    sentences.append(
        ngettext(
            "By {date}, {n} report was due (for each school and each deadline).",
            "By {date}, {n} reports were due (for each school and each deadline).",
            figures.due,
        ).format(date=f"{as_of:%d.%m.%Y}", n=figures.due)
    )
    sentences.append(
        _(
            "Done on time: {on_time}; done late: {late}; in progress: {in_progress}; "
            "overdue: {overdue}; reported as not done: {not_done}."
        ).format(
            on_time=figures.done_on_time,
            late=figures.done_late,
            in_progress=figures.in_progress,
            overdue=figures.overdue,
            not_done=figures.not_done,
        )
    )
    share = figures.on_time_share or 0.0
    sentences.append(_("The share done on time is {share} %.").format(share=f"{share * 100:.0f}"))
    return " ".join(sentences)
