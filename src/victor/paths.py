"""Where Victor keeps things: VICTOR_HOME and the files below it, and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_CONFIG = Path(".victor") / "profiles.yaml"


def victor_home() -> Path:
    """`$VICTOR_HOME`, or `~/.victor`."""
    return Path(os.environ.get("VICTOR_HOME") or Path.home() / ".victor").expanduser()


def user_config_file() -> Path:
    return victor_home() / "profiles.yaml"


def org_config_file() -> Path:
    """An organisation's profile file, shipped by a platform team: `$VICTOR_ORG_CONFIG` or /etc/victor."""
    return Path(os.environ.get("VICTOR_ORG_CONFIG") or "/etc/victor/profiles.yaml")


def sessions_dir() -> Path:
    return victor_home() / "sessions"


def cache_dir() -> Path:
    return victor_home() / "cache"


def audit_log_file() -> Path:
    """`$VICTOR_AUDIT_PATH`, or `$VICTOR_HOME/audit/audit.log`."""
    explicit = os.environ.get("VICTOR_AUDIT_PATH")
    return Path(explicit).expanduser() if explicit else victor_home() / "audit" / "audit.log"


def find_repo_root(start: Path | None = None) -> Path:
    """The nearest enclosing directory holding `.git` (a dir or a worktree file), else `start` itself."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return here


def project_config_file(repo_root: Path | None = None) -> Path:
    return (repo_root or find_repo_root()) / PROJECT_CONFIG
