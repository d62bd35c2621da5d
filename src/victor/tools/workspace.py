"""Workspace confinement: every path a tool touches resolves inside the workspace root.

Refused (PathRefused, exit 4): paths that leave the root (`../`, absolute paths elsewhere), symlinks
that point outside, and any write under `.git/`. Paths on the deny list (`.env*`, `*.pem`, `id_*`…)
are `protected`: the approval policy asks a human before a tool touches one.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from victor.errors import PolicyDenied


class PathRefused(PolicyDenied):
    """A path outside the workspace, through a symlink out, or a write into `.git/`."""


class Workspace:
    def __init__(self, root: Path, deny_paths: Iterable[str] = ()) -> None:
        self.root = Path(root).resolve()
        self.deny_paths = list(deny_paths)

    def resolve(self, path: str, *, write: bool = False) -> Path:
        """The real path `path` names, after checking it stays inside the workspace."""
        if not isinstance(path, str) or not path.strip() or "\0" in path:
            raise PathRefused(f"invalid path {path!r}")
        given = Path(os.path.expanduser(path)) if path.startswith("~") else Path(path)
        lexical = Path(os.path.normpath(given if given.is_absolute() else self.root / given))
        if not self._inside(lexical):
            raise PathRefused(f"'{path}' is outside the workspace {self.root}")
        real = self._follow_links(lexical, path)
        if write and ".git" in real.relative_to(self.root).parts:
            raise PathRefused(f"'{path}' is inside .git/, which is read-only")
        return real

    def _follow_links(self, lexical: Path, given: str) -> Path:
        """Resolve symlinks one component at a time, refusing any that leads outside."""
        current = self.root
        for part in lexical.relative_to(self.root).parts:
            current = current / part
            if current.is_symlink():
                target = current.resolve()
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

    def is_protected(self, path: str | Path) -> bool:
        """True when `path` matches the deny list (by file name or by workspace-relative path)."""
        relative = PurePosixPath(self.relative(path) if isinstance(path, Path) else path)
        return any(
            fnmatch.fnmatch(relative.name, pattern) or fnmatch.fnmatch(relative.as_posix(), pattern)
            for pattern in self.deny_paths
        )
