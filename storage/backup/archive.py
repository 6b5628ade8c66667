"""One backup archive: the database and every evidence file, with a manifest of their hashes.

``roadmap-YYYYmmdd-HHMMSS.tar.gz`` holds ``manifest.json``, the database (a SQLite copy made
with SQLite's online backup API, consistent while the bot writes, or a ``pg_dump`` custom
archive) and ``evidence/ab/abcd…``. A restore first reads the whole archive into a folder of
its own and checks every file against the manifest: a damaged, cut-off or foreign file is
refused before anything in place is touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

from storage.backup import postgres
from storage.backup.postgres import PostgresToolError
from storage.private_files import private_dir, private_file

FORMAT = "roadmap-bot-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "roadmap.sqlite3"
PG_MEMBER = "roadmap.dump"
EVIDENCE_MEMBER = "evidence"
ARCHIVE_PREFIX = "roadmap-"
ARCHIVE_SUFFIX = ".tar.gz"
STAMP = "%Y%m%d-%H%M%S"


class BackupError(RuntimeError):
    """The backup could not be written (what to fix is in the message)."""


class ArchiveRefusedError(ValueError):
    """The file is not a complete backup of this bot; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Manifest:
    created_at: str
    database: str  # the member holding the database: SQLITE_MEMBER or PG_MEMBER
    files: dict[str, str]  # member -> SHA-256, the database's included

    @property
    def evidence(self) -> list[str]:
        return [name for name in self.files if name.startswith(EVIDENCE_MEMBER + "/")]


def archive_name(moment: datetime) -> str:
    """``roadmap-<UTC time>.tar.gz``: names sort by age, whatever the bot's time zone."""
    return f"{ARCHIVE_PREFIX}{moment.astimezone(UTC):{STAMP}}{ARCHIVE_SUFFIX}"


def archive_moment(path: Path) -> datetime | None:
    """When an archive of this bot was written, read from its name (``None``: not one)."""
    name = path.name
    if not (name.startswith(ARCHIVE_PREFIX) and name.endswith(ARCHIVE_SUFFIX)):
        return None
    try:
        stamp = name[len(ARCHIVE_PREFIX) : -len(ARCHIVE_SUFFIX)]
        return datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)  # names are in UTC
    except ValueError:
        return None


def write_archive(db_url: str, evidence_dir: Path, target: Path, moment: datetime) -> Path:
    """The archive of the database and the evidence files at ``target``; ``BackupError``
    (with what to fix) when it cannot be written. Only a complete archive gets its name."""
    folder = target.parent
    if target.exists():
        raise BackupError(f"{target} already exists")
    partial = folder / (target.name + ".partial")
    staging = folder / (target.name + ".db")
    try:
        private_dir(folder)  # everyone's reports: readable by the bot's user alone
        database = _copy_database(db_url, staging)
        files = {database: _sha256(staging)}
        evidence = sorted(_evidence_files(evidence_dir))
        for name, path in evidence:
            files[name] = _sha256(path)
        manifest = {"format": FORMAT, "version": VERSION, "created_at": moment.isoformat()}
        manifest |= {"database": database, "files": files}
        private_file(partial)
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            tar.add(staging, arcname=database)
            for name, path in evidence:
                tar.add(path, arcname=name)
        partial.rename(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # no half-written archive under any name
        raise BackupError(f"cannot write to {folder}: {error.strerror or error}") from error
    finally:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
    return target


def _copy_database(db_url: str, staging: Path) -> str:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        try:
            postgres.dump(db_url, staging)
        except PostgresToolError as error:
            raise BackupError(str(error)) from error
        return PG_MEMBER
    source = Path(url.database or "")
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    private_file(staging)
    try:
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(staging)) as copy:
            live.backup(copy)
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} could not be copied: {error}") from error
    if check != "ok":
        raise BackupError(f"the copy of {source} failed its integrity check: {check}")
    return SQLITE_MEMBER


def _evidence_files(evidence_dir: Path) -> list[tuple[str, Path]]:
    if not evidence_dir.is_dir():
        return []
    return [
        (f"{EVIDENCE_MEMBER}/{path.relative_to(evidence_dir).as_posix()}", path)
        for path in evidence_dir.rglob("*")
        # Content-addressed files (ab/abcd…), not one still being written (.part).
        if path.is_file()
        and len(path.relative_to(evidence_dir).parts) == 2
        and not path.name.endswith(".part")
    ]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unpack_archive(archive: Path, into: Path) -> Manifest:
    """Every file of ``archive`` into the empty folder ``into``, each checked against the
    manifest, the SQLite database's integrity too; ``ArchiveRefusedError`` when it is not a
    complete backup of this bot."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = _manifest(tar)
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in manifest.files or not member.isfile():
                    raise ArchiveRefusedError(f"an unexpected entry {member.name!r}")
                source = tar.extractfile(member)
                assert source is not None  # a regular file, checked above
                target = into / PurePosixPath(member.name)
                private_dir(target.parent)
                private_file(target)
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                if _sha256(target) != manifest.files[member.name]:
                    raise ArchiveRefusedError(f"{member.name} is damaged")
                seen.add(member.name)
    except (tarfile.TarError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise ArchiveRefusedError("the file is damaged or cut off") from error
    except OSError as error:
        if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
            raise ArchiveRefusedError(f"cannot read it: {error.strerror}") from error
        raise ArchiveRefusedError("the file is damaged or cut off") from error
    if missing := set(manifest.files) - seen:
        raise ArchiveRefusedError(f"it is incomplete: {len(missing)} files are missing")
    if manifest.database == SQLITE_MEMBER:
        _check_sqlite(into / SQLITE_MEMBER)
    return manifest


def _manifest(tar: tarfile.TarFile) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise ArchiveRefusedError("it is not a roadmap-bot backup (no manifest)")
    source = tar.extractfile(first)
    assert source is not None
    try:
        data = json.loads(source.read(1 << 22))
    except ValueError as error:
        raise ArchiveRefusedError(
            "the file is damaged (its list of contents is unreadable)"
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveRefusedError("it is not a roadmap-bot backup")
    if data.get("version") != VERSION:
        raise ArchiveRefusedError(f"it was written by another version ({data.get('version')})")
    files = data.get("files")
    database = data.get("database")
    if (
        not isinstance(files, dict)
        or database not in (SQLITE_MEMBER, PG_MEMBER)
        or database not in files
        or not all(_safe(name) for name in files)
    ):
        raise ArchiveRefusedError("it is not a roadmap-bot backup (a wrong manifest)")
    return Manifest(
        str(data.get("created_at")), str(database), {str(k): str(v) for k, v in files.items()}
    )


def _safe(name: object) -> bool:
    """A member that stays inside the folder it is unpacked into."""
    if not isinstance(name, str):
        return False
    path = PurePosixPath(name)
    return (
        name in (SQLITE_MEMBER, PG_MEMBER)
        or (path.parts[:1] == (EVIDENCE_MEMBER,) and len(path.parts) == 3)
    ) and not any(part in ("", ".", "..") for part in path.parts)


def _check_sqlite(database: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            (check,) = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise ArchiveRefusedError(f"its database is damaged ({error})") from error
    if check != "ok":
        raise ArchiveRefusedError(f"its database is damaged ({check})")
