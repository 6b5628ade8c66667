"""Putting an unpacked, checked archive in place of the data, the data it replaces kept aside.

Nothing is deleted: the database and the evidence folder that were there are moved into
``before-restore-<time>`` in the data folder, so a restore of the wrong archive is undone by
moving them back.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.backup.archive import EVIDENCE_MEMBER, SQLITE_MEMBER, Manifest
from storage.private_files import private_dir

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class Restored:
    evidence_files: int
    kept_aside: Path | None  # what was replaced, or None when there was nothing
    pg_dump: Path | None  # PostgreSQL: the dump to give pg_restore


def put_in_place(
    unpacked: Path,
    manifest: Manifest,
    *,
    database: Path | None,
    evidence_dir: Path,
    data_dir: Path,
    moment: datetime,
) -> Restored:
    """``database``: the SQLite file to replace (None for PostgreSQL, whose dump stays in
    ``unpacked`` for pg_restore)."""
    aside = data_dir / f"before-restore-{moment:%Y%m%d-%H%M%S}"
    moved = False
    if database is not None:
        for suffix in SQLITE_COMPANIONS:
            current = database.with_name(database.name + suffix)
            if current.exists():
                private_dir(aside)
                shutil.move(current, aside / current.name)
                moved = True
    if evidence_dir.exists():
        private_dir(aside)
        shutil.move(evidence_dir, aside / "evidence")
        moved = True
    private_dir(evidence_dir.parent)
    restored_evidence = unpacked / EVIDENCE_MEMBER
    if restored_evidence.is_dir():
        shutil.move(restored_evidence, evidence_dir)
    else:
        private_dir(evidence_dir)
    if database is not None and manifest.database == SQLITE_MEMBER:
        private_dir(database.parent)
        shutil.move(unpacked / SQLITE_MEMBER, database)
    dump = None if manifest.database == SQLITE_MEMBER else unpacked / manifest.database
    return Restored(len(manifest.evidence), aside if moved else None, dump)
