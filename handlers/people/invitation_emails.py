"""«Разослать по почте неиспользованные приглашения»: one tap e-mails every person who has not
joined yet their own fresh link, through the e-mail outbox (its retries and bounces apply). People with no
address are named so the coordinator can send theirs another way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from sqlalchemy import select

from formats.email_message import Envelope, Letter, Link, Links, Paragraph, compose
from handlers.common.join_links import JoinLink, JoinLinks
from handlers.email.jobs import EmailComposer
from storage.models import Organisation, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.email.outbox import ComposedEmail, enqueue_email
from storage.usecases.invitations import invite_person

INVITATION = "invitation"


@dataclass(frozen=True, slots=True)
class Emailed:
    sent: int
    no_address: list[str] = field(default_factory=list)  # «ФИО (школа)»


def invitation_letter(
    full_name: str, links: list[JoinLink], expires_at: datetime, locale: str
) -> Letter:
    return Letter(
        _("Your invitation to the roadmap bot"),
        [
            Paragraph(_("Good day, {name}!").format(name=full_name)),
            Paragraph(
                _(
                    "The education department invites you to the roadmap bot: it reminds you "
                    "of your deadlines and takes your reports in the messenger. Open your link "
                    "and press «Start»."
                )
            ),
            Links([Link(link.messenger, link.url) for link in links]),
            Paragraph(
                _(
                    "The link is yours alone and works until {date}; please do not forward it."
                ).format(date=format_date(expires_at.date(), "d MMMM y", locale=locale))
            ),
        ],
        language=locale,
    )


class InvitationEmails:
    def __init__(self, composer: EmailComposer, join_links: JoinLinks) -> None:
        self._composer = composer
        self._join_links = join_links

    async def queue(self, uow: UnitOfWork) -> Emailed:
        """Compose one e-mail per person not yet joined who has a working address; the caller
        commits. A second tap the same day composes none again (the outbox's key)."""
        composer = self._composer
        now = composer.clock.now()
        today = composer.today()
        rows = await uow.session.execute(
            select(Person, Organisation.name)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.user_address.is_(None), Person.is_active.is_(True))
            .order_by(Organisation.name, Person.full_name)
        )
        sent = 0
        no_address = []
        for person, organisation in rows.all():
            unusable = person.email_opt_out_at or person.email_unreachable_at
            if not person.email or unusable:
                no_address.append(
                    f"{person.full_name} ({organisation})" if organisation else person.full_name
                )
                continue
            token, expires_at = await invite_person(
                uow, person.id, now=now, ttl=composer.invite_ttl
            )
            locale = person.locale or composer.i18n.default_locale
            links = await self._join_links(token)
            with composer.i18n.context(), composer.i18n.use_locale(locale):
                letter = invitation_letter(person.full_name, links, expires_at, locale)
            message = compose(letter, Envelope(composer.sender, person.email), now)
            sent += await enqueue_email(
                uow,
                ComposedEmail(
                    kind=INVITATION,
                    key=f"{INVITATION}:{person.id}:{today.isoformat()}",
                    to_address=person.email,
                    subject=letter.subject,
                    message=message,
                    person_id=person.id,
                    day_on=today,
                ),
                now,
            )
        return Emailed(sent, no_address)


async def email_invitations_text(uow: UnitOfWork, emails: InvitationEmails | None) -> str:
    """What the coordinator is told after «Разослать по почте неиспользованные приглашения»."""
    if emails is None:
        return _(
            "E-mail is not set up for this bot, so nothing was sent. Ask the administrator to "
            "set it up, or send each person their link yourself (/invite)."
        )
    done = await emails.queue(uow)
    await uow.commit()
    if not done.sent and not done.no_address:
        return _("Nobody to invite: everyone has joined, or their invitation went today already.")
    lines = [_("Invitations e-mailed: {count}.").format(count=done.sent)]
    if done.no_address:
        lines.append(
            _("No e-mail address for {count}; send them their link another way (/invite):").format(
                count=len(done.no_address)
            )
        )
        lines.extend(f"• {name}" for name in done.no_address[:SHOWN])
        if len(done.no_address) > SHOWN:
            lines.append(_("… and {count} more").format(count=len(done.no_address) - SHOWN))
    return "\n".join(lines)[:4000]


SHOWN = 30
