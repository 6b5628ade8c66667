"""Forms: the template read, every reason a filled copy is refused, and the merge read back
with openpyxl."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from formats.request_forms.answer_check import MAX_FORM_ROWS, Problem, check_answer
from formats.request_forms.merge import Answer, merge_answers
from formats.request_forms.template import (
    ColumnKind,
    FormTemplateError,
    UnreadableFormError,
    read_template,
)
from tests.fixtures.forms import filled_form, form_template


def test_the_template_is_read_by_its_header_and_words() -> None:
    template = read_template(form_template())
    (sheet,) = template.sheets
    assert sheet.title == "Сведения" and sheet.header_row == 2  # under a title line
    assert [(c.name, c.kind) for c in sheet.columns] == [
        ("Класс", ColumnKind.TEXT),
        ("Количество учащихся", ColumnKind.NUMBER),
        ("Дата проверки", ColumnKind.DATE),
        ("Примечание", ColumnKind.TEXT),
    ]
    assert sheet.fixed == ((3, 1, "1 класс"), (4, 1, "2 класс"), (5, 1, "3 класс"))


def test_data_validation_sets_a_columns_type() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Школа", "Показатель"])
    validation = DataValidation(type="whole")
    validation.add("B2:B100")
    sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    template = read_template(buffer.getvalue())
    assert template.sheets[0].columns[1].kind is ColumnKind.NUMBER


def test_what_is_no_form_at_all() -> None:
    with pytest.raises(UnreadableFormError):
        read_template(b"PK\x03\x04 broken")
    empty = openpyxl.Workbook()
    buffer = io.BytesIO()
    empty.save(buffer)
    with pytest.raises(FormTemplateError):
        read_template(buffer.getvalue())


def test_a_correctly_filled_form_passes() -> None:
    assert check_answer(read_template(form_template()), filled_form(), "a.xlsx") == []
    typed_as_text = filled_form(counts=("25", "27,5", " 30 "))
    assert check_answer(read_template(form_template()), typed_as_text, "a.xlsx") == []


def _hide(workbook: Workbook) -> None:
    workbook.create_sheet("Черновик").sheet_state = "hidden"


def _rename(workbook: Workbook) -> None:
    workbook["Сведения"].title = "Лист1"


def _header(workbook: Workbook) -> None:
    workbook["Сведения"]["B2"] = "Число детей"


def _label(workbook: Workbook) -> None:
    workbook["Сведения"]["A4"] = "второй класс"


def _formula(workbook: Workbook) -> None:
    workbook["Сведения"]["B5"] = "=B3+B4"


def _merge(workbook: Workbook) -> None:
    workbook["Сведения"].merge_cells("B3:B4")


def _date(workbook: Workbook) -> None:
    workbook["Сведения"]["C3"] = "на прошлой неделе"


def _many(workbook: Workbook) -> None:
    sheet = workbook["Сведения"]
    for row in range(6, MAX_FORM_ROWS + 10):
        sheet.cell(row, 1, "x")


@pytest.mark.parametrize(
    ("change", "problem", "row", "column"),
    [
        (_hide, Problem.HIDDEN_SHEET, 0, ""),
        (_rename, Problem.MISSING_SHEET, 0, ""),
        (_header, Problem.HEADER_CHANGED, 2, ""),
        (_label, Problem.FIXED_CHANGED, 4, "Класс"),
        (_formula, Problem.FORMULA, 5, "Количество учащихся"),
        (_merge, Problem.MERGED, 3, ""),
        (_date, Problem.NEEDS_DATE, 3, "Дата проверки"),
        (_many, Problem.TOO_MANY_ROWS, MAX_FORM_ROWS + 9, ""),
    ],
)
def test_each_reason_to_refuse_says_where(
    change: object, problem: Problem, row: int, column: str
) -> None:
    answer = filled_form(change=change)  # type: ignore[arg-type]
    found = check_answer(read_template(form_template()), answer, "a.xlsx")
    assert [(p.problem, p.row, p.column) for p in found][:1] == [(problem, row, column)]


def test_refused_whatever_the_name_macros_and_what_is_not_a_workbook() -> None:
    template = read_template(form_template())
    assert check_answer(template, filled_form(), "a.xlsm")[0].problem is Problem.MACROS
    with_vba = io.BytesIO()
    import zipfile

    with (
        zipfile.ZipFile(with_vba, "w") as package,
        zipfile.ZipFile(io.BytesIO(filled_form())) as original,
    ):
        for item in original.infolist():
            package.writestr(item, original.read(item.filename))
        package.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert check_answer(template, with_vba.getvalue(), "a.xlsx")[0].problem is Problem.MACROS
    assert check_answer(template, b"%PDF-1.4", "a.xlsx")[0].problem is Problem.NOT_A_SPREADSHEET
    unfilled = check_answer(template, form_template(), "a.xlsx")
    assert [p.problem for p in unfilled] == [Problem.EMPTY]


def test_wrong_values_are_listed_each_with_its_cell() -> None:
    answer = filled_form(counts=("двадцать", 27, "много"))
    found = check_answer(read_template(form_template()), answer, "a.xlsx")
    assert [(p.problem, p.row, p.found) for p in found] == [
        (Problem.NEEDS_NUMBER, 3, "двадцать"),
        (Problem.NEEDS_NUMBER, 5, "много"),
    ]


def test_merged_values_keep_their_type_and_text_stays_text() -> None:
    template = read_template(form_template())
    answers = [
        Answer("СОШ № 1", filled_form(counts=(25, 27.5, 30), note='=HYPERLINK("x")')),
        Answer("СОШ № 2 <«кавычки» & амперсанд>", filled_form(counts=(1, 2, 3), note="ok")),
    ]
    buffer = io.BytesIO()
    merged = merge_answers(template, answers, ["СОШ № 3"], buffer)
    assert merged == 6
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    rows = list(workbook["Сведения"].iter_rows(values_only=True))
    assert rows[1][:3] == ("СОШ № 1", "1 класс", 25)
    assert rows[1][4] == '=HYPERLINK("x")'
    assert workbook["Сведения"]["E2"].data_type == "s"  # text, never a formula
    assert rows[2][2] == 27.5
    assert rows[4][0] == "СОШ № 2 <«кавычки» & амперсанд>"
    assert [r[0] for r in workbook["Не ответили"].iter_rows(values_only=True)] == [
        "Организация",
        "СОШ № 3",
    ]
    assert isinstance(rows[1][3], datetime) and rows[1][3].date() == date(2026, 12, 7)
    # A date the school typed (openpyxl reads it at midnight) prints as a date, no «00:00».
    assert workbook["Сведения"]["D2"].number_format == "DD.MM.YYYY"
