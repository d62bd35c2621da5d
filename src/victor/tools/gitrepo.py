"""Which git dir host git may open for a workspace. Workspace content is hostile, so a `.git` that
appeared there (written by the sandbox, or shipped in a tarball) must not let git read repositories
elsewhere on the host into a diff:
- `.git` must be a directory or a gitdir file (a symlink, FIFO or device is refused);
- a git dir inside the workspace may not borrow a common dir (`commondir`) outside it;
- a `.git` file pointing outside the workspace is honoured only when that git dir names this work
  tree back, as a linked worktree's (`gitdir` file) or a submodule's (`core.worktree`) does: a git dir
  outside the workspace cannot have been written by the sandbox.
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

from victor.sandbox.readonly import gitdir_target
from victor.tools.base import ToolError

MAX_POINTER_BYTES = 4096


def checked_git_dir(root: Path, git: str) -> Path:
    """The git dir of the workspace `root` once it passes the rules above (`git`: the program, to read
    a config value); ToolError naming the rule otherwise."""
    dotgit = root / ".git"
    try:
        mode = dotgit.lstat().st_mode
    except FileNotFoundError:
        raise ToolError(f"{root} is not a git repository (no .git)") from None
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise ToolError(f"{dotgit} is not a directory or a gitdir file; git tools refuse it",
                        hint="replace it with the real .git directory")
    gitdir = dotgit.resolve() if stat.S_ISDIR(mode) else gitdir_target(root)
    if gitdir is None or not gitdir.is_dir():
        raise ToolError(f"{dotgit} does not name a git directory", hint="restore the repository's .git")
    if _inside(root, gitdir):
        common = _pointer(gitdir / "commondir", gitdir)
        if common is not None and not _inside(root, common):
            raise ToolError(f"{dotgit} borrows {common} (commondir), outside the workspace; git tools refuse it",
                            hint="a repository inside the workspace may not reach outside it")
    elif not _names_work_tree(gitdir, root, git):
        raise ToolError(f"{dotgit} points to {gitdir}, outside the workspace, which does not name this work tree",
                        hint="only a linked worktree's or a submodule's git dir is followed outside the workspace")
    return gitdir


def _names_work_tree(gitdir: Path, root: Path, git: str) -> bool:
    """True when the git dir outside the workspace names `root` as its work tree."""
    back = _pointer(gitdir / "gitdir", gitdir)  # a linked worktree's: the path of its `.git` file
    if back is not None and back == (root / ".git").resolve():
        return True
    try:
        done = subprocess.run([git, "config", "--file", str(gitdir / "config"), "--get", "core.worktree"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30,
                              env={"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"})
    except (OSError, subprocess.SubprocessError):
        return False
    worktree = done.stdout.strip()
    return done.returncode == 0 and bool(worktree) and (gitdir / worktree).resolve() == root.resolve()


def _pointer(file: Path, base: Path) -> Path | None:
    """The path a one-line pointer file holds, resolved against `base`, or None."""
    try:
        with file.open("rb") as handle:
            lines = handle.read(MAX_POINTER_BYTES).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    return (base / lines[0].strip()).resolve() if lines and lines[0].strip() else None


def _inside(root: Path, path: Path) -> bool:
    root = root.resolve()
    return path == root or root in path.parents
