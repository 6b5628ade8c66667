"""docs/architecture.md stays true: every ``module:function`` it names exists, and every
package has its line; so do the references in the decisions and CONTRIBUTING.md. A rename that
forgets the map fails here, not in a newcomer's hands."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "architecture.md"
GUIDES = [ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
# `package.module:name` or `package.module:Class.method`, as the map writes them.
REFERENCE = re.compile(r"`([a-z_]\w*(?:\.\w+)+):([A-Za-z_][\w.]*)`")
MAPPED_ROOTS = (
    "bot",
    "cli",
    "messengers",
    "handlers",
    "scheduler",
    "storage",
    "formats",
    "domain",
    "standin",
    "demo",
    "bench",
)


def references(text: str) -> list[tuple[str, str]]:
    return REFERENCE.findall(text)


def missing_references(text: str) -> list[str]:
    """Each reference whose module cannot be imported or lacks the name."""
    missing = []
    for module_name, attribute_path in references(text):
        try:
            target: object = importlib.import_module(module_name)
        except ImportError:
            missing.append(f"{module_name}:{attribute_path}")
            continue
        for attribute in attribute_path.split("."):
            if not hasattr(target, attribute):
                missing.append(f"{module_name}:{attribute_path}")
                break
            target = getattr(target, attribute)
    return missing


def packages() -> list[str]:
    """Every package of the code base as the map names it (``handlers/report/``)."""
    found = []
    for root in MAPPED_ROOTS:
        for init in sorted((ROOT / root).rglob("__init__.py")):
            folder = init.parent.relative_to(ROOT)
            if "versions" not in folder.parts:
                found.append(f"{folder.as_posix()}/")
    return found


def test_every_function_the_map_names_exists() -> None:
    text = MAP.read_text(encoding="utf-8")
    assert len(references(text)) >= 30  # three walks' worth: the pattern still matches
    assert missing_references(text) == []


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_the_guides_name_only_functions_that_exist(guide: Path) -> None:
    assert missing_references(guide.read_text(encoding="utf-8")) == []


def test_every_package_has_its_line() -> None:
    text = MAP.read_text(encoding="utf-8")
    unmapped = [package for package in packages() if f"`{package}`" not in text]
    assert unmapped == []


@pytest.mark.parametrize(
    "reference",
    [
        "`handlers.report.flow:on_no_such_step`",  # a renamed function
        "`handlers.report.no_such_module:on_step`",  # a moved module
        "`scheduler.outbox:ReminderOutbox.no_such_method`",  # a renamed method
    ],
)
def test_a_stale_reference_is_caught(reference: str) -> None:
    assert missing_references(f"1. {reference} does the work.") == [reference.strip("`")]
