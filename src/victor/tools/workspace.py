"""Workspace confinement: every path a tool touches resolves inside the workspace root.

Refused (PathRefused, exit 4): paths that leave the root (`../`, absolute paths elsewhere, NUL) and
symlinks that point outside. Two kinds of path need a human, which the approval policy consults:
- `needs_human(path)`: writes into git metadata, `.victor/` or Victor's state (any letter case,
  wherever a `.git` file points; see sandbox/readonly.py), whatever the mode or rules;
- `is_protected(path)`: paths on the deny list (`.env*`, `*.pem`…), matched as given and once symlinks
  are followed, and any file with more than one hard link (it may be a protected file by another name).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from victor.errors import PolicyDenied
from victor.sandbox.readonly import is_read_only


class PathRefused(PolicyDenied):
    """A path outside the workspace, or through a symlink out."""


class Workspace:
    def __init__(self, root: Path, deny_paths: Iterable[str] = ()) -> None:
        self.root = Path(root).resolve()
        self.deny_paths = list(deny_paths)
        self._deny = re.compile("|".join(fnmatch.translate(pattern) for pattern in self.deny_paths) or r"(?!)")

    def resolve(self, path: str, *, write: bool = False) -> Path:
        """The real path `path` names, after checking it stays inside the workspace. A write may only
        replace a regular file (never a FIFO, socket or device, where opening it could hang or reach
        beyond the file); whether it needs a human is `needs_human`'s answer."""
        if not isinstance(path, str) or not path.strip() or "\0" in path:
            raise PathRefused(f"invalid path {path!r}")
        given = Path(os.path.expanduser(path)) if path.startswith("~") else Path(path)
        lexical = Path(os.path.normpath(given if given.is_absolute() else self.root / given))
        if not self._inside(lexical):
            raise PathRefused(f"'{path}' is outside the workspace {self.root}")
        try:
            real = self._follow_links(lexical, path)
            special = write and real.exists() and not (real.is_file() or real.is_dir())
        except OSError as exc:  # a name too long, a component that is not a directory…
            raise PathRefused(f"invalid path {path!r}: {exc.strerror}") from None
        if special:
            raise PathRefused(f"'{path}' is not a regular file (a FIFO, socket or device); refusing to write it")
        return real

    def _follow_links(self, lexical: Path, given: str) -> Path:
        """Resolve symlinks one component at a time, refusing any that leads outside."""
        current = self.root
        for part in lexical.relative_to(self.root).parts:
            current = current / part
            if current.is_symlink():
                target = _real(current)
                if target is None:
                    raise PathRefused(f"'{given}' goes through a symlink loop")
                if not self._inside(target):
                    raise PathRefused(f"'{given}' goes through a symlink to {target}, outside the workspace")
                current = target
        return current

    def _inside(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    def contains(self, path: Path) -> bool:
        """True when `path`, followed through symlinks, is inside the workspace."""
        return self._inside(path.resolve())

    def relative(self, path: Path) -> str:
        relative = path.relative_to(self.root)
        return relative.as_posix() if relative.parts else "."

    def needs_human(self, path: str | Path) -> bool:
        """True when writing `path` (workspace-relative, or a real path) must always ask a human."""
        real = _real(self.root / path)
        return real is None or is_read_only(self.root, real)

    def is_protected(self, path: str | Path) -> bool:
        """True when `path` (workspace-relative, or a path under the root) matches the deny list by file
        name or relative path, as given or followed through symlinks, or is a multiply linked file."""
        lexical = Path(os.path.normpath(self.root / path))
        real = _real(lexical)
        if real is None:
            return True
        if any(self._denied(candidate) for candidate in (lexical, real) if self._inside(candidate)):
            return True
        try:
            info = real.stat()
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and info.st_nlink > 1

    def _denied(self, path: Path) -> bool:
        return self._denied_name(self.relative(path))

    def _denied_name(self, relative: str) -> bool:
        """Whether a workspace-relative posix path matches the deny list, by file name or whole."""
        return bool(self._deny.match(relative.rsplit("/", 1)[-1]) or self._deny.match(relative))

    def protected_files(self) -> list[str]:
        """Workspace-relative paths of the regular files on the deny list, and of their other hard links
        (git metadata skipped): what the sandbox hides unless the user approved reading them. Only
        names are read on the first pass; the tree is stat'ed only when a protected file has links."""
        denied = [name for name in self._tree() if self._denied_name(name) and _inode(self.root / name) is not None]
        linked = {_inode(self.root / name) for name in denied if (self.root / name).lstat().st_nlink > 1}
        others = [name for name in self._tree() if _inode(self.root / name) in linked] if linked else []
        return sorted({*denied, *others})

    def _tree(self) -> Iterator[str]:
        """Workspace-relative posix paths of every non-directory entry, `.git` skipped."""
        for directory, subdirs, files in os.walk(self.root):
            subdirs[:] = [name for name in subdirs if name.casefold() != ".git"]
            prefix = os.path.relpath(directory, self.root).replace(os.sep, "/")
            yield from (name if prefix == "." else f"{prefix}/{name}" for name in files)


def _inode(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a regular file, None for anything else (a symlink, a FIFO, a vanished file)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None

def _real(path: Path) -> Path | None:
    """`path` with every symlink followed, or None when they loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: a symlink loop, before Python 3.13
        return None
