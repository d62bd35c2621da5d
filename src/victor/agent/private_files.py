"""Files only their owner may read: directories 0700, files 0600 from their first byte, written
atomically. Session transcripts and undo snapshots hold the user's code and tool output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import BinaryIO

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(path: Path) -> Path:
    """`path`, created if missing, mode 0700 (an existing, looser one is tightened)."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIRECTORY_MODE)  # mkdir's mode passes through the umask and skips existing directories
    return path


def write_private(path: Path, data: str) -> None:
    """Replace `path` with `data` (UTF-8), atomically, mode 0600."""
    temporary = path.with_name(path.name + ".tmp")
    with _open_private(temporary) as handle:
        handle.write(data.encode("utf-8", "surrogatepass"))
    os.replace(temporary, path)


def copy_private(source: Path, target: Path) -> None:
    """Copy `source`'s bytes exactly to a new `target`, mode 0600."""
    with source.open("rb") as reading, _open_private(target) as writing:
        shutil.copyfileobj(reading, writing)


def _open_private(path: Path) -> BinaryIO:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # a leftover file keeps its old mode through O_CREAT
    return os.fdopen(descriptor, "wb")
