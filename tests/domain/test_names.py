"""Greeting a person by name and patronymic, and a school by the abbreviation everyone uses."""

from __future__ import annotations

import pytest

from domain.names import address_name, name_order, short_school_name, split_full_name


@pytest.mark.parametrize(
    ("full_name", "address"),
    [
        ("Антипина Анна Михайловна", "Анна Михайловна"),
        ("Анна Михайловна Антипина", "Анна Михайловна"),
        ("  антипина   Анна  Михайловна ", "Анна Михайловна"),
        ("Шостакович Дмитрий Дмитриевич", "Дмитрий Дмитриевич"),
        ("Кузьмин Фома Ильич", "Фома Ильич"),
        ("Петрова Мария Ильинична", "Мария Ильинична"),
        ("Алиев Рашид Гусейн оглы", "Рашид Гусейн оглы"),
        ("Анна", "Анна"),
        ("Антипина А. М.", "Антипина А. М."),
        ("Антипина А.М.", "Антипина А.М."),
        ("Анна Антипина", "Анна Антипина"),
        ("Mary Smith", "Mary Smith"),
        ("", ""),
    ],
)
def test_a_person_is_addressed_by_name_and_patronymic_in_either_order(
    full_name: str, address: str
) -> None:
    assert address_name(full_name) == address


def test_the_full_name_is_kept_for_naming_a_third_person() -> None:
    name = split_full_name("Антипина  Анна Михайловна")
    assert (name.full, name.given, name.patronymic) == (
        "Антипина Анна Михайловна",
        "Анна",
        "Михайловна",
    )


@pytest.mark.parametrize(
    ("official", "short"),
    [
        (
            'Муниципальное бюджетное общеобразовательное учреждение "Средняя '
            'общеобразовательная школа № 2"',
            "МБОУ СОШ № 2",
        ),
        (
            "Муниципальное казённое общеобразовательное учреждение «Основная "
            "общеобразовательная школа №5»",
            "МКОУ ООШ № 5",
        ),
        (
            "муниципальное общеобразовательное учреждение средняя общеобразовательная школа № 1",
            "МОУ СОШ № 1",
        ),
        ("МБОУ «СОШ №3» г. Усть-Кута", "МБОУ СОШ № 3 г. Усть-Кута"),
        ("Управление образованием УКМО", "Управление образованием УКМО"),
    ],
)
def test_a_school_is_named_by_its_usual_abbreviation(official: str, short: str) -> None:
    assert short_school_name(official) == short


def test_schools_are_listed_in_the_order_of_their_numbers() -> None:
    names = [
        "МБОУ СОШ № 10",
        "МБОУ СОШ № 2",
        "мбоу сош №1",
        "ГАУ ДПО ИРО",
        "МБОУ СОШ № 1 г. Усть-Кута",
    ]
    assert sorted(names, key=name_order) == [
        "ГАУ ДПО ИРО",
        "мбоу сош №1",
        "МБОУ СОШ № 1 г. Усть-Кута",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ]
