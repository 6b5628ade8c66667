"""``roadmap-bot import --dry-run --json`` prints the indicators under ``indicators``; a table
of indicators without targets asks for ``--columns target=N``; saving reports the counts."""

from __future__ import annotations

import json
from pathlib import Path

from demo.indicator_shapes import (
    BaseForm,
    IndicatorLayout,
    TargetForm,
    UnitForm,
    indicator_grid,
    planned_indicators,
)
from demo.layouts import Cell, Grid, Numbering, SectionForm, write_document
from demo.roadmap_shapes import LayoutSpec, planned_measures, roadmap_grids
from tests.test_settings_and_cli import cli

MEASURES = LayoutSpec(
    order=("number", "title", "deadline", "responsible"),
    words=(0, 0, 0, 0),
    header_rows=1,
    sections=SectionForm.NONE,
    numbering=Numbering.TYPED,
    tables=1,
    repeat_header=False,
    file_format="xlsx",
)


def test_import_prints_indicators_as_printed_and_saves_them(tmp_path: Path) -> None:
    layout = IndicatorLayout(
        unit=UnitForm.NAME_COMMA,
        base=BaseForm.FACT_YEAR,
        targets=TargetForm.YEARS_FLAT,
        years=(2024, 2025, 2030),
        name_header=1,
        direction_column=False,
        extras=("cumulative", "level"),
        sections=False,
        numbering_row=True,
    )
    grids = [*roadmap_grids(planned_measures(3), MEASURES)]
    grids.append(indicator_grid(planned_indicators(2, layout), layout))
    path = tmp_path / "Программа.xlsx"
    path.write_bytes(write_document(["Дорожная карта"], grids, "xlsx"))
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}

    shown = cli("import", str(path), "--dry-run", "--json", env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert len(data["measures"]) == 3
    assert data["indicators"] == [
        {
            "number": "1",
            "name": "Доля обучающихся, охваченных дополнительным образованием",
            "unit": "%",
            "base": {"year": 2023, "value": "40,5"},
            "targets": [
                {"year": 2024, "value": "45,0"},
                {"year": 2025, "value": "50,0"},
                {"year": 2030, "value": "55,0"},
            ],
            "direction": "up",
            "measure": None,
        },
        {
            "number": "2",
            "name": "Доля обучающихся, занимающихся во вторую смену",
            "unit": "%",
            "base": {"year": 2023, "value": "41,5"},
            "targets": [
                {"year": 2024, "value": "36,0"},
                {"year": 2025, "value": "31,0"},
                {"year": 2030, "value": "26,0"},
            ],
            "direction": "down",
            "measure": None,
        },
    ]
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0  # makes the database
    saved = cli("import", str(path), "--json", env=env, cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    assert json.loads(saved.stdout)["indicators_added"] == 2
    again = json.loads(cli("import", str(path), "--json", env=env, cwd=tmp_path).stdout)
    assert (again["indicators_added"], again["indicators_updated"]) == (0, 2)


def test_a_table_without_targets_asks_for_the_target_column(tmp_path: Path) -> None:
    table = Grid(4)
    table.add([Cell("№"), Cell("Наименование показателя"), Cell("Ед. изм."), Cell("Ожидается")])
    table.add([Cell("1."), Cell("Доля школ с низкими результатами"), Cell("%"), Cell("не более 5")])
    path = tmp_path / "Программа.docx"
    grids = [*roadmap_grids(planned_measures(3), MEASURES), table]
    path.write_bytes(write_document([], grids, "docx"))
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}

    asked = cli("import", str(path), "--dry-run", env=env, cwd=tmp_path)
    assert asked.returncode == 2
    assert "Я нашёл таблицу целевых показателей" in asked.stdout
    assert "4. Столбец «Ожидается» → не используется" in asked.stdout
    assert "--columns target=N" in asked.stdout
    chosen = cli(
        "import", str(path), "--dry-run", "--json", "--columns", "target=4", env=env, cwd=tmp_path
    )
    assert chosen.returncode == 0, chosen.stderr
    (indicator,) = json.loads(chosen.stdout)["indicators"]
    assert indicator["targets"] == [{"year": None, "value": "не более 5"}]
    assert indicator["direction"] == "down"
    assert not (tmp_path / "r.sqlite3").exists()
