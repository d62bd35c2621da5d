"""What the container sees of the workspace: the workspace read-write; over it, read-only, the places
no command may write (readonly.py: `.git`, a `.git` file's git dir, `.victor/`, Victor's state); and
each protected file the user has not approved reading (approvals.deny_paths, given by the caller)
masked by /dev/null, read-only: it reads as empty, what is written to it vanishes, and it cannot be
removed, renamed or hard-linked.

Every read-only source is checked with lstat first: Docker follows symlinks in bind sources, so a
`.git` or `.victor` that is a symlink could expose any host directory."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from victor.errors import SandboxError
from victor.sandbox.readonly import gitdir_target, read_only_paths

WORKDIR = "/workspace"
MASK = "/dev/null"


def ensure_project_dir(workspace: Path) -> None:
    """Create `.victor/` (and Victor's state directories, when they lie in the workspace) where missing,
    so the sandbox gets them read-only and cannot plant a project policy for the next session."""
    root = workspace.resolve()
    git = {root / ".git", gitdir_target(root)}
    for path in read_only_paths(root):
        if path not in git and not (path.exists() or path.is_symlink()):
            path.mkdir(parents=True)


def workspace_mounts(workspace: Path, masked: Sequence[str] = ()) -> list[Any]:
    """docker-py Mounts: the workspace, its read-only places, and `masked` (workspace-relative) files."""
    from docker.types import Mount

    mounts = [Mount(WORKDIR, str(workspace), type="bind", read_only=False)]
    root = workspace.resolve()
    for path in read_only_paths(root):
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(mode):
            raise SandboxError(f"{path} is a symlink (to {os.readlink(path)}); refusing to mount it into the sandbox",
                               hint=f"Docker follows symlinks in bind mounts: replace {path.name} with the real one")
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            raise SandboxError(f"{path} is neither a directory nor a file", hint="remove it or restore the repository")
        mounts.append(Mount(f"{WORKDIR}/{path.relative_to(root).as_posix()}", str(path), type="bind", read_only=True))
    mounts.extend(Mount(f"{WORKDIR}/{name}", MASK, type="bind", read_only=True) for name in masked)
    return mounts
