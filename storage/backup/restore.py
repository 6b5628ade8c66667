"""Putting an unpacked, checked archive in place of the data, the data it replaces kept aside.

Nothing is deleted: the database and the evidence files that were there are moved into
``before-restore-<time>`` in the data folder (PostgreSQL's database as a ``pg_dump`` of it,
``roadmap.dump``), so a restore of the wrong archive is undone by moving them back. The
evidence folder itself stays where it is and only its contents change: it may be a disk or a
Docker volume of its own, mounted there, which cannot be moved.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.backup import postgres
from storage.backup.archive import EVIDENCE_MEMBER, PG_MEMBER, SQLITE_MEMBER, Manifest
from storage.private_files import private_dir

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class Restored:
    evidence_files: int
    kept_aside: Path | None  # what was replaced, or None when there was nothing


def aside_folder(data_dir: Path, moment: datetime) -> Path:
    """Where a restore at ``moment`` keeps what it replaces."""
    return data_dir / f"before-restore-{moment:%Y%m%d-%H%M%S}"


def replace_postgres(db_url: str, unpacked: Path, aside: Path) -> None:
    """The archive's dump in place of the PostgreSQL database, the database it replaces kept
    in ``aside`` as ``roadmap.dump``; ``postgres.PostgresToolError`` and nothing changed when
    the database cannot be dumped or the archive's dump cannot be loaded."""
    private_dir(aside)
    kept = aside / PG_MEMBER
    try:
        postgres.dump(db_url, kept)
        postgres.load(db_url, unpacked / PG_MEMBER, unpacked)
    except postgres.PostgresToolError:
        kept.unlink(missing_ok=True)
        if not any(aside.iterdir()):
            aside.rmdir()
        raise


def put_in_place(
    unpacked: Path,
    manifest: Manifest,
    *,
    database: Path | None,
    evidence_dir: Path,
    data_dir: Path,
    moment: datetime,
) -> Restored:
    """``database``: the SQLite file to replace (None for PostgreSQL, loaded by
    ``replace_postgres`` first)."""
    aside = aside_folder(data_dir, moment)
    if database is not None:
        for suffix in SQLITE_COMPANIONS:
            current = database.with_name(database.name + suffix)
            if current.exists():
                private_dir(aside)
                shutil.move(current, aside / current.name)
    replaced = list(evidence_dir.iterdir()) if evidence_dir.is_dir() else []
    if replaced:
        private_dir(aside / "evidence")
        for item in replaced:
            shutil.move(item, aside / "evidence" / item.name)
    private_dir(evidence_dir)
    restored_evidence = unpacked / EVIDENCE_MEMBER
    if restored_evidence.is_dir():
        for item in restored_evidence.iterdir():
            shutil.move(item, evidence_dir / item.name)
    if database is not None and manifest.database == SQLITE_MEMBER:
        private_dir(database.parent)
        shutil.move(unpacked / SQLITE_MEMBER, database)
    return Restored(len(manifest.evidence), aside if aside.is_dir() else None)
