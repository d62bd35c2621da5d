"""The workspace paths that no tool and no sandbox command may write without a human: git's metadata
(any `.git`, in any letter case, and the git dir a top-level `.git` file points to when it lies in the
workspace), Victor's project configuration (`.victor/`, any case) and Victor's own state (VICTOR_HOME
and the audit log's directory, when they lie in the workspace).

Workspace confinement makes every write there ask a human, whatever the mode or rules; the sandbox
mounts them read-only. One list for both, so the two cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from victor.paths import audit_log_file, victor_home

PROTECTED_NAMES = frozenset({".git", ".victor"})  # compared case-insensitively
GITFILE_PREFIX = "gitdir:"
MAX_GITFILE_BYTES = 4096


def gitdir_target(root: Path) -> Path | None:
    """The real git dir a `.git` FILE at `root` points to (`gitdir: PATH`), or None when `.git` is
    not a regular file or says nothing readable."""
    gitfile = root / ".git"
    try:
        if gitfile.is_symlink() or not gitfile.is_file():
            return None
        with gitfile.open("rb") as handle:
            first = handle.read(MAX_GITFILE_BYTES).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    if not first or not first[0].startswith(GITFILE_PREFIX):
        return None
    target = Path(first[0][len(GITFILE_PREFIX):].strip())
    return (target if target.is_absolute() else root / target).resolve()


def read_only_paths(root: Path) -> list[Path]:
    """The read-only paths of the workspace `root` (resolved), existing or not, outermost names first:
    `.git`, `.victor`, then a `.git` file's git dir and Victor's state when they lie inside `root`."""
    root = root.resolve()
    found = [root / ".git", root / ".victor"]
    extra = [gitdir_target(root), victor_home().expanduser().resolve(), audit_log_file().parent.resolve()]
    for path in extra:
        if path is not None and root in path.parents and path not in found:
            found.append(path)
    return found


def is_read_only(root: Path, real: Path) -> bool:
    """True when the real path `real`, inside `root`, lies in a read-only place (see the module)."""
    root = root.resolve()
    try:
        parts = real.relative_to(root).parts
    except ValueError:
        return False
    if any(part.casefold() in PROTECTED_NAMES for part in parts):
        return True
    return any(real == path or path in real.parents for path in read_only_paths(root))

