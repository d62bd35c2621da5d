"""Finding a host program without trusting the workspace: only PATH's absolute entries outside it are
searched, so a `git` or `setfacl` planted in the workspace (with `.` or an empty entry on PATH, or
the workspace itself there) never runs on the host."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def trusted_path(workspace: Path) -> str:
    """The host's PATH without relative entries and without directories inside `workspace`."""
    root = workspace.resolve()

    def trusted(entry: str) -> bool:
        if not os.path.isabs(entry):
            return False
        real = Path(entry).resolve()
        return real != root and root not in real.parents

    return os.pathsep.join(entry for entry in os.environ.get("PATH", os.defpath).split(os.pathsep) if trusted(entry))


def find_program(name: str, workspace: Path) -> str | None:
    """The absolute path of program `name` on the trusted PATH, or None."""
    return shutil.which(name, path=trusted_path(workspace))
