"""What `scan-secrets` reads, as ScanTargets: files and directories (git-aware, .gitignore
respected), the index (`--staged`: added lines of what will be committed), history (`--since`)
and stdin. A target may limit reporting to some lines and map its lines back to the file's."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from victor.errors import UsageError
from victor.secrets import gitio

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"}


@dataclass
class ScanTarget:
    """One text to scan. `report_lines`: only findings on these lines count (staged mode).
    `line_numbers[i]`: the file line of text line i+1 (history mode, where text is the added lines)."""

    path: str
    text: str
    report_lines: frozenset[int] | None = None
    line_numbers: list[int] | None = None
    commit: str | None = None


def decode(data: bytes) -> str | None:
    """Text for scanning, or None for a binary file (a NUL byte in its first 8 KiB)."""
    return None if b"\0" in data[:8192] else data.decode("utf-8", "replace")


def stdin_target() -> ScanTarget:
    return ScanTarget(path="-", text=sys.stdin.read())


def path_targets(paths: list[str], root: Path | None, base: Path) -> list[ScanTarget]:
    """Files named, and the files under directories named; paths are shown relative to `base`."""
    targets: list[ScanTarget] = []
    for name in paths:
        if name == "-":
            targets.append(stdin_target())
            continue
        path = Path(name)
        if path.is_dir():
            files = _files_under(path, root)
        elif path.is_file():
            files = [path]
        else:
            raise UsageError(f"{name}: no such file or directory", hint="name files or directories to scan, or - for stdin")
        for file in files:
            target = _file_target(file, base)
            if target:
                targets.append(target)
    return targets


def _files_under(directory: Path, root: Path | None) -> list[Path]:
    if root is not None:
        return [root / name for name in gitio.listed_files(root, str(directory.resolve()))]
    found: list[Path] = []
    for parent, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        found.extend(Path(parent) / file for file in sorted(files))
    return found


def _file_target(file: Path, base: Path) -> ScanTarget | None:
    try:
        text = decode(file.read_bytes())
    except OSError:
        return None
    if text is None:
        return None
    return ScanTarget(path=Path(os.path.relpath(file.resolve(), base.resolve())).as_posix(), text=text)


def staged_targets(root: Path) -> list[ScanTarget]:
    """The index content of each staged file, reporting only the lines the commit adds."""
    added = _added_lines(gitio.staged_patch(root))
    blobs = gitio.index_blobs(root, list(added))
    targets = []
    for path, lines in added.items():
        text = decode(blobs.get(path, b""))
        if text and lines:
            targets.append(ScanTarget(path=path, text=text, report_lines=frozenset(lines)))
    return targets


def _added_lines(patch: str) -> dict[str, set[int]]:
    added: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in patch.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = added.setdefault(name[2:], set()) if name.startswith("b/") else None
        elif current is not None and (hunk := _HUNK.match(line)):
            start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
            current.update(range(start, start + count))
    return added


def history_targets(root: Path, since: str) -> list[ScanTarget]:
    """For each commit after `since` and each file it touched, the lines it added."""
    targets: list[ScanTarget] = []
    commit: str | None = None
    path: str | None = None
    lines: list[str] = []
    numbers: list[int] = []
    next_number = 0

    def flush() -> None:
        if commit and path and lines:
            targets.append(ScanTarget(path=path, text="\n".join(lines), line_numbers=list(numbers), commit=commit))
        lines.clear()
        numbers.clear()

    for line in gitio.history_patch(root, since).splitlines():
        if line.startswith("commit ") and len(line) == 47:
            flush()
            commit, path = line[7:], None
        elif line.startswith("+++ "):
            flush()
            path = line[6:] if line.startswith("+++ b/") else None
        elif hunk := _HUNK.match(line):
            next_number = int(hunk.group(1))
        elif line.startswith("+") and path:
            lines.append(line[1:])
            numbers.append(next_number)
            next_number += 1
    flush()
    return targets
