"""`victor hooks install`: put a pre-commit hook that runs `victor scan-secrets --staged` into the
repository's hooks directory (core.hooksPath respected). An existing hook that is not Victor's is
kept and chained (renamed, then run first); `--force` replaces it instead."""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path

from victor.errors import UsageError
from victor.secrets import gitio

MARKER = "# victor-scan-secrets hook"
CHAINED = "pre-commit.victor-chained"


def hook_script(python: str) -> str:
    """The hook: run a chained earlier hook first, then scan what the commit adds."""
    return f"""#!/bin/sh
{MARKER}: blocks commits that add secrets (installed by `victor hooks install`).
hooks_dir=$(dirname "$0")
if [ -x "$hooks_dir/{CHAINED}" ]; then
    "$hooks_dir/{CHAINED}" "$@" || exit $?
fi
exec {shlex.quote(python)} -m victor scan-secrets --staged
"""


def install(force: bool = False, cwd: Path | None = None) -> str:
    """Install the hook; return one line saying what was done."""
    root = gitio.repo_root(cwd)
    if root is None:
        raise UsageError("hooks install: not inside a git repository", hint="run it in the repository to protect")
    hooks_dir = gitio.hooks_dir(root)
    hooks_dir.mkdir(parents=True, exist_ok=True)
    hook = hooks_dir / "pre-commit"
    note = f"installed {hook}"
    if hook.exists() and MARKER not in hook.read_text(errors="replace"):
        if force:
            note = f"replaced the existing hook at {hook} (--force)"
        elif (hooks_dir / CHAINED).exists():
            raise UsageError(f"hooks install: {hook} is not Victor's and {hooks_dir / CHAINED} already exists",
                             hint="merge them by hand, or pass --force to replace the hook")
        else:
            hook.rename(hooks_dir / CHAINED)
            note = f"installed {hook}; your earlier hook now runs first as {CHAINED}"
    hook.write_text(hook_script(sys.executable))
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return note
