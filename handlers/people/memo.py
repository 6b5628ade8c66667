"""/memo (and ``roadmap-bot memo``): the памятки to print or send. For school heads, a page
each with their own links (MAX first: schools moved to it) and the buttons to press; for the
coordinator, her work in the chat in order."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command
from formats.memo_document import HeadPage, MemoLink, MemoTexts, coordinator_memo, heads_memo
from handlers.common.access import refuse_unless
from handlers.common.filters import Joined
from handlers.common.join_links import JoinLink, JoinLinks
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.memo import MemoHead, memo_heads

HEADS_FILE = "Памятка руководителю ОО.docx"
COORDINATOR_FILE = "Памятка координатора.docx"


def build_router() -> Router:
    router = Router(name="memo")
    router.message.register(cmd_memo, CommandFilter(Command.MEMO.value), Joined())
    return router


async def cmd_memo(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    join_links: JoinLinks,
    invite_ttl: timedelta,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEMO, "memo"):
        await message.answer(refusal)
        return
    heads, coordinator = await memo_files(
        uow, join_links, now=clock.now(), ttl=invite_ttl, contact=person
    )
    uow.audit.add(at=clock.now(), action="memo", person_id=person.id)
    await uow.commit()
    if heads is None:
        await message.answer(
            _("There are no school heads in the bot yet. Send the list of schools with /people.")
        )
    else:
        await message.answer_document(
            BufferedInputFile(heads, HEADS_FILE),
            caption=_(
                "A page for each school head, with their own links to join. Print it or send "
                "each page to its school. Each link works once and only for that person."
            ),
        )
    await message.answer_document(
        BufferedInputFile(coordinator, COORDINATOR_FILE),
        caption=_("Your guide: what to do in the chat, in order."),
    )


async def memo_files(
    uow: UnitOfWork,
    join_links: JoinLinks,
    *,
    now: datetime,
    ttl: timedelta,
    contact: Person | None,
) -> tuple[bytes | None, bytes]:
    """(the heads' памятка, or None when there are no heads; the coordinator's)."""
    heads = await memo_heads(uow, now=now, ttl=ttl)
    pages = [HeadPage(h.organisation, h.full_name, *await _links(h, join_links)) for h in heads]
    heads_file = heads_memo(_head_texts(heads, contact), pages) if pages else None
    return heads_file, coordinator_memo(*_coordinator_texts())


async def _links(head: MemoHead, join_links: JoinLinks) -> tuple[list[MemoLink], str | None]:
    if head.token is None:
        return [], _("You are already connected: find the bot among your chats in MAX or Telegram.")
    links = sorted(await join_links(head.token), key=_max_first)
    return [MemoLink(link.messenger, link.url, _press(link.messenger)) for link in links], None


def _max_first(link: JoinLink) -> int:
    return 0 if link.messenger == "MAX" else 1


def _press(messenger: str) -> str:
    if messenger == "MAX":
        return _("open it on your phone and press «Начать»")
    return _("open it on your phone and press «Запустить»")


def _head_texts(heads: list[MemoHead], contact: Person | None) -> MemoTexts:
    until = min((h.expires_at for h in heads if h.expires_at), default=None)
    who = (
        _("Questions: {name}, {phone}").format(name=contact.full_name, phone=contact.phone)
        if contact and contact.phone
        else _("Questions: {name}").format(name=contact.full_name)
        if contact
        else _("Questions: your coordinator at the education department.")
    )
    return MemoTexts(
        title=_("Guide for the head of an educational organisation"),
        intro=_(
            "The education department's chat bot reminds you of the roadmap's deadlines and "
            "takes your reports. It works in MAX and in Telegram: use whichever you have."
        ),
        open_heading=_("1. Connect to the bot (once)"),
        steps=(
            _(
                "2. Before each deadline the bot sends a reminder. Answer it with the buttons: "
                "«Выполнено», «В работе» or «Не выполнено»."
            ),
            _(
                "3. Write in one or two sentences what was done, and attach a file or a link "
                "if you have one. Check the summary and press «Сохранить»."
            ),
            _(
                "4. If you cannot make the deadline, press «Перенести срок» and give the new "
                "date and the reason: the coordinator decides."
            ),
            _(
                "5. Your measures and deadlines at any time: send /my. A report without a "
                "reminder: send /report."
            ),
        ),
        valid_until=(
            _("The links work until {date}, once, and only for you.").format(
                date=f"{until:%d.%m.%Y}"
            )
            if until
            else None
        ),
        contact=who,
    )


def _coordinator_texts() -> tuple[str, list[tuple[str, str]], str]:
    steps = [
        (
            _("Import the roadmap"),
            _(
                "Send the approved roadmap to the bot as a file (.docx, .xlsx, .odt or .ods). "
                "Check the preview: measures, deadlines, the responsible and the target "
                "indicators. Correct what was read wrong, then press «Сохранить»."
            ),
        ),
        (
            _("Add the schools and their heads"),
            _(
                "Send /template for the list form, fill it in and send it after /people. Then "
                "send /memo and give each head their page, or let the bot e-mail the links."
            ),
        ),
        (
            _("When people change"),
            _(
                "/people: replace a head who left (the new one gets a link), add a deputy who "
                "reports for the school, switch someone off, add a second coordinator or hand "
                "your role over."
            ),
        ),
        (
            _("Follow the week"),
            _(
                "Every Monday the bot sends the digest: what is overdue, what is due this week, "
                "who cannot be reached. /digest shows it at any time."
            ),
        ),
        (
            _("Accept or return reports"),
            _(
                "Each report comes with «Принять» and «Вернуть с комментарием» buttons. Returned reports go "
                "back to the school with your comment."
            ),
        ),
        (
            _("Ask the schools for something"),
            _("/ask: the text, the deadline, the schools, and a form to fill if needed."),
        ),
        (
            _("Write the report"),
            _(
                "/export gives the report in the official layout, ready to sign, and the "
                "spreadsheet of every answer."
            ),
        ),
    ]
    return (
        _("Coordinator's guide"),
        steps,
        _("Every command is listed in /help."),
    )
