"""Organisation names as a department writes them: which spellings are one body for sure,
which the coordinator is asked about, and which are two bodies."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.organisations.matching import Known, Reason, answer_key, best_match, compare, plan
from domain.organisations.names import initials, plain


def test_case_hyphens_quotes_and_spacing_are_the_same_name() -> None:
    assert compare("РМО учителей-предметников", "РМО учителей - предметников") is Reason.SAME
    assert compare("МБОУ «СОШ №3»", "мбоу сош № 3") is Reason.SAME
    assert compare("Центр «Ёлка»", "центр елка") is Reason.SAME


def test_another_word_order_is_the_same_name() -> None:
    assert compare("Служба методическая муниципальная", "Муниципальная методическая служба") is (
        Reason.WORD_ORDER
    )


def test_an_abbreviation_of_the_full_name_is_asked_about() -> None:
    assert compare("УО УКМО", "Управление образованием УКМО") is Reason.ABBREVIATION
    assert compare("Управление образованием УКМО", "УО УКМО") is Reason.ABBREVIATION
    # «и» may give its letter or not.
    assert compare("ЦОиМ", "Центр оценки и мониторинга") is Reason.ABBREVIATION
    assert compare("ЦОМ", "Центр оценки и мониторинга") is Reason.ABBREVIATION
    assert "МКУРЦУОУКМО" in initials("МКУ «Ресурсный центр» Управления образованием УКМО")


def test_a_qualifier_in_brackets_is_asked_about() -> None:
    assert compare("МКУ РЦ УО УКМО (методический кабинет)", "МКУ РЦ УО УКМО") is Reason.QUALIFIER


def test_a_typo_in_a_long_name_is_asked_about_but_not_in_a_short_one() -> None:
    assert compare("ГАУ ИО ЦОММКиМКО", "ГАУ ИО ЦОПМКиМКО") is Reason.TYPO
    assert compare("Управление образованием", "Управлене образованием") is Reason.TYPO
    assert compare("РМО", "ШМО") is None


def test_different_numbers_or_different_words_are_different_bodies() -> None:
    assert compare("МБОУ СОШ № 1", "МБОУ СОШ № 2") is None
    assert (
        compare("Муниципальное бюджетное общеобразовательное учреждение СОШ № 1", "СОШ № 11")
        is None
    )
    assert compare("ГАУ ДПО ИРО", "Управление образованием УКМО") is None
    assert compare("УО УКМО", "Управление образования Нижнеудинского района") is None


def test_an_alias_matches_for_sure() -> None:
    known = [Known(7, "Управление образованием УКМО", aliases=("УО УКМО",))]
    match = best_match("уо укмо", known)
    assert match is not None and match.organisation_id == 7 and match.reason.sure


def test_a_sure_match_is_preferred_to_an_unsure_one() -> None:
    known = [Known(1, "Управление образованием УКМО"), Known(2, "УО УКМО")]
    match = best_match("УО УКМО", known)
    assert match is not None and match.organisation_id == 2


SEED_TEXTS = [
    "УО УКМО",
    "МКУ РЦ УО УКМО (методический кабинет)",
    "МКУ РЦ УО УКМО",
    "РМО учителей-предметников",
    "РМО учителей - предметников",
    "ГАУ ИО ЦОПМКиМКО",
    "ГАУ ИО ЦОММКиМКО",
    "ГАУ ДПО ИРО",
]


def test_a_document_plan_asks_before_joining_anything_unsure() -> None:
    known = [Known(1, "Управление образованием УКМО")]
    first = plan(SEED_TEXTS, known, {})
    assert first.matched == {}
    asked = {(q.text, q.candidate) for q in first.questions}
    assert ("УО УКМО", "Управление образованием УКМО") in asked
    assert ("МКУ РЦ УО УКМО", "МКУ РЦ УО УКМО (методический кабинет)") in asked
    assert ("ГАУ ИО ЦОММКиМКО", "ГАУ ИО ЦОПМКиМКО") in asked
    # Another spelling of a text met before is that text: one organisation, not asked.
    assert [t for t in first.new if t.startswith("РМО")] == ["РМО учителей-предметников"]
    assert "УО УКМО" not in first.new

    answers = {q.key: q.text == "УО УКМО" for q in first.questions}
    second = plan(SEED_TEXTS, known, answers)
    assert second.questions == ()
    assert second.matched == {"УО УКМО": 1}
    assert set(second.new) == {
        "МКУ РЦ УО УКМО (методический кабинет)",
        "МКУ РЦ УО УКМО",
        "РМО учителей-предметников",
        "ГАУ ИО ЦОПМКиМКО",
        "ГАУ ИО ЦОММКиМКО",
        "ГАУ ДПО ИРО",
    }


def test_a_no_is_not_asked_again_and_a_yes_joins_a_text_of_the_same_document() -> None:
    texts = ["ГАУ ИО ЦОПМКиМКО", "ГАУ ИО ЦОММКиМКО"]
    yes = plan(texts, [], {answer_key("ГАУ ИО ЦОММКиМКО", "ГАУ ИО ЦОПМКиМКО"): True})
    assert yes.joined == {"ГАУ ИО ЦОММКиМКО": "ГАУ ИО ЦОПМКиМКО"}
    assert yes.new == ("ГАУ ИО ЦОПМКиМКО",)
    no = plan(texts, [], {answer_key("ГАУ ИО ЦОММКиМКО", "ГАУ ИО ЦОПМКиМКО"): False})
    assert no.questions == () and no.new == tuple(texts)


_WORD = st.text(alphabet="абвгдежзиклмнопрстуфхцчшэюя", min_size=2, max_size=9)
_NAME = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)


@given(_NAME, st.sampled_from(["-", " - ", " – ", "—"]))
def test_any_hyphen_spelling_is_the_same_name(name: str, dash: str) -> None:
    joined = name.replace(" ", dash, 1)
    assert plain(joined) == plain(name)
    assert compare(joined.upper(), name) is Reason.SAME


@given(_NAME)
def test_a_name_always_matches_itself_for_sure(name: str) -> None:
    assert compare(name, name) is Reason.SAME
    assert compare(name.title(), name.upper()) is Reason.SAME


@given(_NAME, st.integers(1, 99), st.integers(1, 99))
def test_numbered_bodies_are_never_taken_for_each_other(name: str, a: int, b: int) -> None:
    if a != b:
        assert compare(f"{name} № {a}", f"{name} № {b}") is None


@given(st.lists(_NAME, min_size=1, max_size=8))
def test_every_text_is_placed_once_and_nothing_unsure_is_joined(texts: list[str]) -> None:
    result = plan(texts, [], {})
    placed = set(result.matched) | set(result.joined) | set(result.new)
    placed |= {q.text for q in result.questions}
    assert {plain(t) for t in placed} == {plain(t) for t in texts if plain(t)}
    for text, target in result.joined.items():
        assert compare(text, target) in (Reason.SAME, Reason.WORD_ORDER)


def test_a_person_written_with_initials_is_the_person_known_by_full_name() -> None:
    from domain.person_names import same_person

    assert same_person("Парилов С.В.", "Парилов Сергей Викторович")
    assert same_person("С.В. Парилов", "Парилов Сергей Викторович")
    assert same_person("Парилов С. В.", "парилов сергей викторович")
    assert same_person("Ананина А.Н.", "Ананина Алёна Николаевна")
    assert not same_person("Парилов С.А.", "Парилов Сергей Викторович")
    assert not same_person("Парилова С.В.", "Парилов Сергей Викторович")
    assert not same_person("УО УКМО", "Парилов Сергей Викторович")
