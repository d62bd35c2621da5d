"""List the workspace's files the way git sees them: tracked and untracked, minus .gitignore'd
(git run with every config-driven command path closed, gitcmd.py), or by walking the tree."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from victor.tools.base import ToolError
from victor.tools.gitcmd import closed_git, host_runner
from victor.tools.workspace import Workspace


def workspace_files(workspace: Workspace, under: Path) -> Iterator[Path]:
    """Files below `under`, sorted, skipping .gitignore'd ones, `.git/` and symlinks out."""
    names = _git_files(workspace.root, under)
    if names is None:
        names = _walk(workspace.root, under)
    for name in sorted(names):
        path = workspace.root / name
        if path.is_file() and workspace.contains(path):
            yield path


def _git_files(root: Path, under: Path) -> list[str] | None:
    if not (root / ".git").exists():
        return None
    try:
        code, output, _ = closed_git(host_runner(root, timeout=30),
                                     ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", str(under)])
    except ToolError:
        return None
    if code != 0:
        return None
    return sorted({name for name in output.split("\0") if name})


def _walk(root: Path, under: Path) -> list[str]:
    found: list[str] = []
    for directory, subdirs, files in os.walk(under):
        subdirs[:] = [name for name in subdirs if name.casefold() != ".git"]
        found.extend(os.path.relpath(os.path.join(directory, name), root) for name in files)
    return found
