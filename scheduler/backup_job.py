"""The daily backup: an archive of the database and the evidence files, old ones rotated away,
a copy on a second disk when one is set; a failure tells the coordinators once.

The archive is written in a thread (SQLite's backup API and gzip block): the bot answers
people meanwhile. A target that is full or not writable never stops the bot: the failure is
logged, the coordinators hear of it once, and the next success clears it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from domain.backup_rotation import archives_to_keep
from domain.clock import Clock
from storage.backup.archive import BackupError, archive_moment, archive_name, write_archive
from storage.private_files import private_dir

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BackupPlan:
    db_url: str
    evidence_dir: Path
    folder: Path  # DATA_DIR/backups
    keep_days: int
    keep_weeks: int
    keep_months: int
    copy_to: Path | None = None  # a mounted share


class DailyBackup:
    def __init__(
        self,
        plan: BackupPlan,
        clock: Clock,
        tell_coordinators: Callable[[str], Awaitable[object]],
    ) -> None:
        """``tell_coordinators(problem)``: the failure, in words for the person who fixes it
        (a path and the system's reason; never anyone's data)."""
        self._plan = plan
        self._clock = clock
        self._tell = tell_coordinators
        self._told = False

    async def run(self) -> Path | None:
        """The archive written (``None`` when it could not be: logged, and told once)."""
        try:
            archive = await asyncio.to_thread(self._write)
        except (BackupError, OSError) as error:  # a full disk, a share gone: never the bot
            logger.error(
                "backup failed: %s", error, extra={"event": "backup_failed", "job": "backup"}
            )
            if not self._told:
                self._told = True
                await self._tell(str(error))
            return None
        self._told = False
        logger.info("backup written: %s", archive.name, extra={"event": "backup_written"})
        return archive

    def _write(self) -> Path:
        plan = self._plan
        moment = self._clock.now().replace(microsecond=0)
        target = plan.folder / archive_name(moment)
        archive = write_archive(plan.db_url, plan.evidence_dir, target, moment)
        self._rotate(plan.folder)
        if plan.copy_to is not None:
            partial = plan.copy_to / (archive.name + ".partial")
            try:
                private_dir(plan.copy_to)
                shutil.copyfile(archive, partial)
                partial.replace(plan.copy_to / archive.name)
            except OSError as error:
                with contextlib.suppress(OSError):
                    partial.unlink(missing_ok=True)  # a share that is full keeps no half file
                raise BackupError(
                    f"the backup {archive.name} was written in {plan.folder}, but could not be "
                    f"copied to {plan.copy_to}: {error.strerror or error}"
                ) from error
            self._rotate(plan.copy_to)
        return archive

    def _rotate(self, folder: Path) -> None:
        """Archives of this bot older than the rotation keeps are deleted (others left)."""
        archives = {
            moment: path
            for path in folder.iterdir()
            if (moment := archive_moment(path)) is not None
        }
        plan = self._plan
        kept = archives_to_keep(
            archives, days=plan.keep_days, weeks=plan.keep_weeks, months=plan.keep_months
        )
        for moment, path in archives.items():
            if moment not in kept:
                path.unlink(missing_ok=True)
