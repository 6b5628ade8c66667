"""gettext catalogs: compiled from locales/*.po on start (aiogram refuses uncompiled ones)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

if TYPE_CHECKING:
    from aiogram.utils.i18n import I18n

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> None:
    """Write each ``.mo`` that is missing or older than its ``.po``."""
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        # A file of this process's own: two processes compiling at once (replicas starting,
        # test workers) each replace the .mo whole, and neither renames the other's file away.
        with tempfile.NamedTemporaryFile(
            "wb", dir=mo_path.parent, prefix=f"{DOMAIN}.", suffix=".mo.tmp", delete=False
        ) as mo_file:
            write_mo(mo_file, catalog)
        Path(mo_file.name).chmod(0o644)  # readable as a file opened the usual way would be
        Path(mo_file.name).replace(mo_path)  # atomic: a starting process never reads half


def build_i18n(default_locale: str, locales_dir: Path = LOCALES_DIR) -> I18n:
    from aiogram.utils.i18n import I18n  # the command line's catalogs need no aiogram

    compile_catalogs(locales_dir)
    return I18n(path=locales_dir, default_locale=default_locale, domain=DOMAIN)
