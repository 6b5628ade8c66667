"""A long digest: split into Telegram messages, no entry broken, buttons capped."""

from __future__ import annotations

from datetime import date

from bot.i18n import build_i18n
from domain.progress import Digest, DigestItem, Standing, Unreachable, split_into_messages
from domain.roles import Role
from handlers.digest.weekly import button_pages, digest_entries
from handlers.people.help import help_text

TODAY = date(2026, 11, 23)
TO_2030 = (1, "Дорожная карта повышения качества образования до 2030 года")


def test_a_region_sized_digest_shows_each_measure_once() -> None:
    digest = Digest(as_of=TODAY)
    for school in range(120):
        name = f"МОУ «Средняя общеобразовательная школа № {school}» г. Усть-Кута"
        for measure in range(30):
            digest.count(name, Standing.OVERDUE)
            digest.overdue.append(
                DigestItem(
                    f"o{school}",
                    name,
                    f"{measure}.1",
                    "Мероприятие " * 20,
                    date(2026, 11, 1),
                    22,
                    *TO_2030,
                )
            )
    digest.unreachable = [Unreachable(f"Директор {n}", "СОШ", never_joined=True) for n in range(50)]
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        entries = digest_entries(digest)
        pages = button_pages(digest)
    messages = split_into_messages(entries)
    assert all(len(m) <= 4096 for m in messages)
    assert "Просрочено (30):" in entries  # thirty measures, not 3 600 lines
    lines = [e for e in entries if e.startswith("• 01.11 ")]
    assert len(lines) == 30
    assert lines[0] == (
        "• 01.11 0.1 Мероприятие Мероприятие Мероприятие Мероприятие Мероприятие "
        "Мероприят… — 120 организаций, просрочено на 22 дня"
    )
    # Every late school keeps its button, thirty to a message.
    assert [len(page.inline_keyboard) for page in pages] == [30, 30, 30, 30]
    pressed = {row[0].callback_data for page in pages for row in page.inline_keyboard}
    assert pressed == {f"v1dg:o{school}" for school in range(120)}


def test_a_measure_late_at_a_few_schools_names_them_shortly() -> None:
    digest = Digest(as_of=TODAY)
    for number, name in enumerate(
        (
            "МОУ СОШ № 1",
            "Муниципальное общеобразовательное учреждение «Средняя общеобразовательная школа № 2»",
        )
    ):
        digest.count(name, Standing.NO_ANSWER)
        digest.due_soon.append(
            DigestItem(
                f"o{number}", name, "П3.3", "Дорожная карта", date(2026, 11, 25), 0, *TO_2030
            )
        )
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        entries = digest_entries(digest)
    assert "Срок в ближайшие 7 дней (1):" in entries
    assert "• 25.11 П3.3 Дорожная карта — МОУ СОШ № 1, МОУ СОШ № 2" in entries


def test_the_totals_say_what_they_count_and_the_words_are_explained_in_help_only() -> None:
    digest = Digest(as_of=TODAY)
    late = DigestItem("o1", "СОШ № 1", "1.1", "Педсовет", date(2026, 11, 1), 22, *TO_2030)
    refused = DigestItem("o2", "СОШ № 2", "1.1", "Педсовет", date(2026, 11, 1), 22, *TO_2030)
    digest.count("СОШ № 1", Standing.OVERDUE)
    digest.overdue.append(late)
    digest.count("СОШ № 2", Standing.NOT_DONE)
    digest.not_done.append(refused)
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        entries = digest_entries(digest)
        help_for_coordinator = help_text(Role.COORDINATOR)
        help_for_head = help_text(Role.RESPONSIBLE)
    totals = entries[0].splitlines()
    assert totals[1] == (
        "Отчёты со сроком до 30.11.2026 — по каждой организации и каждому сроку "
        "(пояснения — в /help):"
    )
    assert "Не выполнено: 1" in totals[2] and "Просрочено: 1" in totals[2]
    assert "срок прошёл" not in "\n".join(entries)  # not repeated every week
    assert "В сводке:\nПросрочено — срок прошёл, а о выполнении не сообщили" in help_for_coordinator
    assert "В сводке:" not in help_for_head
    assert "Ответили «Не выполнено» (1):" in entries
    assert "• 01.11 1.1 Педсовет — СОШ № 2" in entries


def test_the_unreachable_say_whether_e_mail_reaches_them() -> None:
    digest = Digest(as_of=TODAY)
    digest.unreachable = [
        Unreachable("Иванова М. П.", "СОШ № 1", never_joined=True, email="sosh1@uk.ru"),
        Unreachable("Петров П. П.", "СОШ № 2", never_joined=False, email_bounced=True),
        Unreachable("Сидорова О. И.", "СОШ № 3", never_joined=True, phone="+7 914 000-11-22"),
    ]
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        entries = digest_entries(digest)
    assert (
        "• Иванова М. П. (СОШ № 1) — ещё нет в боте; напоминания идут на почту sosh1@uk.ru"
    ) in entries
    assert (
        "• Петров П. П. (СОШ № 2) — бот заблокирован; почтовый сервер отклонил адрес почты"
    ) in entries
    assert "• Сидорова О. И. (СОШ № 3) — ещё нет в боте; телефон +7 914 000-11-22" in entries


def test_open_requests_show_answered_of_total_and_who_is_late() -> None:
    from domain.progress import OpenRequest

    digest = Digest(as_of=TODAY)
    digest.requests = [
        OpenRequest("З-1", "Сведения о численности", date(2026, 11, 20), 15, 20, ("СОШ № 16",)),
        OpenRequest("З-2", "Кадры", date(2026, 12, 10), 0, 3, ("СОШ № 1", "СОШ № 2", "СОШ № 3")),
    ]
    assert not digest.is_quiet
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        entries = digest_entries(digest)
    assert "Открытые запросы (2):" in entries
    late = next(e for e in entries if "З-1" in e)
    assert late == (
        "• № З-1 «Сведения о численности» — срок 20.11.2026: ответили 15 из 20\n"
        "  не ответили в срок: СОШ № 16"
    )
    assert next(e for e in entries if "З-2" in e).endswith("ответили 0 из 3")  # not late yet


def test_who_is_reached_where_when_the_bot_is_in_both_messengers() -> None:
    digest = Digest(as_of=TODAY)
    digest.unreachable = [
        Unreachable("Петров П. П.", "СОШ № 2", never_joined=False, blocked_in=("Telegram", "MAX")),
        Unreachable("Сидорова О. И.", "СОШ № 3", never_joined=False),
    ]
    digest.reached_in = {"Telegram": 20, "MAX": 8}
    digest.blocked_elsewhere = [("Иванова М. П.", "СОШ № 1", "Telegram")]
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        text = "\n".join(digest_entries(digest))
    assert "Петров П. П. (СОШ № 2) — бот заблокирован в Telegram, MAX" in text
    assert "Сидорова О. И. (СОШ № 3) — бот заблокирован" in text
    assert "напоминания в чате: MAX: 8, Telegram: 20" in text
    assert "Иванова М. П. (СОШ № 1): бот заблокирован в Telegram; напоминания идут" in text

    telegram_only = Digest(as_of=TODAY)
    telegram_only.unreachable = digest.unreachable
    telegram_only.reached_in = {"Telegram": 20}
    with i18n.context(), i18n.use_locale("ru"):
        assert "напоминания в чате" not in "\n".join(digest_entries(telegram_only))
