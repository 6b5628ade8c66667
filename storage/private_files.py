"""Files only the bot's own user may read: the database, its backups, evidence files.

They hold what people reported and who they are; written with the process's umask (often
0022) anyone on the machine could read them. Files are created ``0600`` from the start (not
chmod-ed after, which leaves a moment where they are readable) and folders the bot makes
``0700``.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """``path`` and the parents it lacks, made ``0700``; a folder that exists is left as is
    (it may be the operator's, shared with other things)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        folder.chmod(DIR_MODE)  # mkdir's mode is narrowed by the umask, never widened


def private_file(path: Path) -> None:
    """``path`` exists and is ``0600`` (an empty file when it did not exist)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    path.chmod(FILE_MODE)


def write_private(path: Path, data: bytes) -> None:
    """``data`` into a new file at ``path`` that only the owner can read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
