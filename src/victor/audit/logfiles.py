"""Where the audit log lives on disk and how its files are laid out.

`audit.log` is the file being written; rotation renames it to `audit.log.<N>` with N growing, so
the chain runs `audit.log.1`, `audit.log.2`, …, `audit.log`. `audit.log.head` is both the writers'
lock (flock) and the anchor: the seq and hash of the last record written, which lets `verify` see
records cut off the end.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from victor import paths

if TYPE_CHECKING:
    from victor.config.schema import AuditConfig

ANCHOR_SIZE = 512
_TAIL_CHUNK = 64 * 1024


def log_path(settings: AuditConfig) -> Path:
    """The configured log file: `audit.path`, else `$VICTOR_AUDIT_PATH`, else under VICTOR_HOME."""
    return Path(settings.path).expanduser() if settings.path else paths.audit_log_file()


def head_path(log: Path) -> Path:
    return log.with_name(log.name + ".head")


def chain_files(log: Path) -> list[Path]:
    """Every file of the chain, oldest first: the rotated files by number, then the live file."""
    pattern = re.compile(re.escape(log.name) + r"\.(\d+)")
    rotated: list[tuple[int, Path]] = []
    if log.parent.is_dir():
        for entry in log.parent.iterdir():
            match = pattern.fullmatch(entry.name)
            if match:
                rotated.append((int(match.group(1)), entry))
    files = [path for _, path in sorted(rotated)]
    return files + [log] if log.exists() else files


def next_rotated_name(log: Path) -> Path:
    rotated = [path for path in chain_files(log) if path != log]
    number = int(rotated[-1].name.rsplit(".", 1)[1]) + 1 if rotated else 1
    return log.with_name(f"{log.name}.{number}")


@dataclass
class Tail:
    """The end of a log file: its last complete line (None if it has none) and a torn fragment's length."""

    last_line: bytes | None
    torn_bytes: int


def read_tail(fd: int, size: int) -> Tail:
    """Read backwards from `size` until the last complete line is in hand."""
    buffer, position = b"", size
    while position > 0 and buffer.count(b"\n") < 2:
        start = max(0, position - _TAIL_CHUNK)
        buffer = os.pread(fd, position - start, start) + buffer
        position = start
    last_newline = buffer.rfind(b"\n")
    if last_newline < 0:
        return Tail(None, len(buffer))
    previous = buffer.rfind(b"\n", 0, last_newline)
    return Tail(buffer[previous + 1 : last_newline], len(buffer) - last_newline - 1)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    mac: str


def write_anchor(fd: int, anchor: Anchor) -> None:
    """Overwrite the head file in one fixed-size write."""
    payload = json.dumps({"seq": anchor.seq, "hash": anchor.hash, "mac": anchor.mac}).encode()
    os.pwrite(fd, payload.ljust(ANCHOR_SIZE), 0)


def read_anchor(log: Path) -> Anchor | None:
    """The head anchor, or None when there is none (no file, or nothing written yet)."""
    try:
        data = json.loads(head_path(log).read_bytes().strip() or b"null")
    except FileNotFoundError:
        return None
    except ValueError:
        return Anchor(-1, "", "")
    if not isinstance(data, dict):
        return None
    return Anchor(int(data.get("seq", -1)), str(data.get("hash", "")), str(data.get("mac", "")))
