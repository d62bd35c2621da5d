"""List the workspace's files the way git sees them: tracked and untracked, minus .gitignore'd."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from victor.tools.workspace import Workspace

GIT_SAFE = ["-c", "core.fsmonitor=false", "-c", "core.quotepath=off", "--no-pager"]


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
    command = ["git", *GIT_SAFE, "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        done = subprocess.run([*command, "--", str(under)], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({name for name in done.stdout.decode("utf-8", "replace").split("\0") if name})


def _walk(root: Path, under: Path) -> list[str]:
    found = []
    for directory, subdirs, files in os.walk(under):
        subdirs[:] = [name for name in subdirs if name != ".git"]
        found.extend(os.path.relpath(os.path.join(directory, name), root) for name in files)
    return found
