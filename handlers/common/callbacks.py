"""Typed button payloads. The ``v1`` prefixes let a later change tell old buttons apart."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LangCb(CallbackData, prefix="v1lang"):
    locale: str


class InviteRoleCb(CallbackData, prefix="v1inv"):
    role: str


class CancelCb(CallbackData, prefix="v1cancel"):
    pass


class ImportCb(CallbackData, prefix="v1imp"):
    action: str  # confirm | cancel


class ImportColumnCb(CallbackData, prefix="v1imc"):
    role: str  # the role asked about: title | deadline
    index: int  # the column chosen, from 0; -1 cancels the import


class ImportOrgCb(CallbackData, prefix="v1imo"):
    """«УО УКМО — это Управление образованием УКМО?»: yes or no to the question ``asked``
    (how many were answered before it: a press on an older question is stale)."""

    same: bool
    asked: int


class OrganisationCb(CallbackData, prefix="v1org"):
    """/organisations: ``action`` on organisation ``organisation_id`` (rename | merge | into:
    merge the one chosen before into ``organisation_id`` | cancel)."""

    action: str
    organisation_id: int


class SectionCb(CallbackData, prefix="v1sec"):
    roadmap_id: int
    section_id: int  # 0: the order's own instructions, which belong to no section


class MeasureCb(CallbackData, prefix="v1ms"):
    measure_id: int


class MeasureEditCb(CallbackData, prefix="v1me"):
    measure_id: int
    field: str  # deadline | assignees


class InviteAllCb(CallbackData, prefix="v1invall"):
    pass


class SnoozeCb(CallbackData, prefix="v1snz"):
    occurrence_id: int
    days: int


class ReportCb(CallbackData, prefix="v1rep"):
    occurrence_id: int
    action: str  # done | in_progress | not_done | extend


class ReportStartCb(CallbackData, prefix="v1rst"):
    """«Отчитаться» under the hint given when a conversation was lost: the /report list."""


class PickCb(CallbackData, prefix="v1pick"):
    occurrence_id: int


class ReportStepCb(CallbackData, prefix="v1rs"):
    action: str  # skip_evidence | save | cancel


class ReviewCb(CallbackData, prefix="v1rev"):
    report_id: int
    action: str  # accept | return


class ReviewOpenCb(CallbackData, prefix="v1ro"):
    report_id: int  # from the hourly list of new reports: show it with Accept / Return


class ExtensionCb(CallbackData, prefix="v1ext"):
    request_id: int
    action: str  # approve | reject


class DigestOrgCb(CallbackData, prefix="v1dg"):
    key: str  # o<organisation id> | p<person id>: whose measures to show in detail


class ExportCb(CallbackData, prefix="v1exp"):
    fmt: str  # xlsx | docx
    roadmap_id: int  # which roadmap's report (a department may run several)


class RoadmapPickCb(CallbackData, prefix="v1rmp"):
    """A roadmap chosen from the picker that /export and /measures show when there are
    several."""

    view: str  # export | measures
    roadmap_id: int


class RoadmapArchiveCb(CallbackData, prefix="v1rma"):
    """«В архив» / «Вернуть из архива» under /roadmaps."""

    roadmap_id: int
    archive: bool


class RoadmapCoordinatorsCb(CallbackData, prefix="v1rmc"):
    """«Координаторы № N» under /roadmaps: open the list (``person_id`` 0), or name / unname
    one coordinator for the roadmap (``named``: what the press makes it)."""

    roadmap_id: int
    person_id: int = 0
    named: bool = False


class EmailCb(CallbackData, prefix="v1mail"):
    setting: str  # emails | digest
    on: bool


class FormCb(CallbackData, prefix="v1form"):
    """«Форма»: the request's form to fill, sent as a file."""

    occurrence_id: int


class AskCb(CallbackData, prefix="v1ask"):
    """A step of /ask: who (all | tag | pick | done), a school toggled (id), send or cancel."""

    action: str
    value: int = 0


class RequestCb(CallbackData, prefix="v1req"):
    request_id: int
    action: str  # collect | withdraw


class MessengerCb(CallbackData, prefix="v1msg"):
    action: str  # use | last | link
    messenger: str = ""


class NotMeCb(CallbackData, prefix="v1notme"):
    account: int  # the messenger account just linked, which «Это не я» unlinks


class FiguresCb(CallbackData, prefix="v1fig"):
    """«Ввести данные» under an indicator's reminder: the school's figures as of its date."""

    occurrence_id: int


class FiguresStepCb(CallbackData, prefix="v1figs"):
    action: str  # keep (figures far from last year's are right) | again | cancel


class IndicatorCb(CallbackData, prefix="v1ind"):
    indicator_id: int
    action: str  # open | all | department | count | share | questions | dates | confirm


class ActualCb(CallbackData, prefix="v1act"):
    """«Фактический результат» of a measure: open, or save a draft, a neutral phrase, nothing;
    ``version`` is the one the coordinator saw, so a later save by someone else is noticed."""

    measure_id: int
    action: str  # open | draft | not_due | ongoing | clear | cancel
    version: int = 0


class NotesCb(CallbackData, prefix="v1note"):
    """A typed section of the written report, «Пояснительная записка» (``explanatory``) or
    «Выводы и предложения» (``conclusions``), of a roadmap's report of ``year``: open it, keep
    it, clear it, or save what was typed; ``version`` is the one the coordinator saw."""

    roadmap_id: int
    section: str  # explanatory | conclusions
    action: str  # open | keep | clear | save
    year: int
    version: int = 0


class StaffCb(CallbackData, prefix="v1staff"):
    """/people's changes of staff: ``action`` replace | deputy | off | late, then the school
    (``replace_school``, ``deputy_school``) or the person (``off_person``) in ``value``."""

    action: str
    value: int = 0


class CoordinatorCb(CallbackData, prefix="v1coord"):
    """/people's coordinators: ``action`` add | hand_over, then the hand-over's yes | no. The
    successor's name waits in the coordinator's conversation under ``key``, which the question's
    buttons carry: an old «Да» (under an earlier question) or a forged one finds nothing to do."""

    action: str
    key: str = ""


class AcceptAllCb(CallbackData, prefix="v1acc"):
    """«Принять все»: the measure's answers awaiting review, no newer than report ``upto``."""

    measure_id: int
    upto: int
