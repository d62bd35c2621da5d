"""The few git calls secret scanning needs, as plain subprocesses: the repository root, the
files git knows, the staged diff, index blobs and history patches. Errors become UsageErrors.

The repository may be hostile (a cloned one, or one an agent wrote into), so no config-driven command
runs: fsmonitor, hooks, pagers, external diff and textconv drivers are off, submodules never entered.
The environment is kept as git gave it (a pre-commit hook must see the index `git commit` uses)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from victor.errors import UsageError

_SETTINGS = (
    ("core.quotePath", "false"), ("core.fsmonitor", "false"), ("core.hooksPath", "/dev/null"),
    ("core.pager", "cat"), ("diff.external", ""), ("diff.ignoreSubmodules", "all"),
    ("submodule.recurse", "false"), ("protocol.allow", "never"))


def _options(settings: tuple[tuple[str, str], ...]) -> list[str]:
    return [word for key, value in settings for word in ("-c", f"{key}={value}")] + ["--no-pager"]


CLOSED = _options(_SETTINGS)


def git(*args: str, cwd: Path | None = None, stdin: bytes | None = None, closed: list[str] = CLOSED) -> bytes:
    """Run `git args…` and return stdout; a failure is a one-line UsageError naming the command."""
    try:
        done = subprocess.run(
            ["git", *closed, *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("git is not installed", hint="install git, or scan paths without --staged/--since") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(
            f"git {args[0]} failed: {detail[-1] if detail else f'exit {done.returncode}'}",
            hint="run inside a git repository, and check the revision you named",
        )
    return done.stdout


def hooks_dir(root: Path) -> Path:
    """Where git runs this repository's hooks from, core.hooksPath respected: the one setting read here
    rather than closed, since `victor hooks install` writes the hook there (rev-parse runs nothing)."""
    reading = _options(tuple(setting for setting in _SETTINGS if setting[0] != "core.hooksPath"))
    out = git("rev-parse", "--git-path", "hooks", cwd=root, closed=reading)
    return (root / out.decode().strip()).resolve()


def repo_root(cwd: Path | None = None) -> Path | None:
    """The work tree's top directory, or None outside a git repository."""
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        return None
    return Path(done.stdout.decode().strip()) if done.returncode == 0 else None


def listed_files(root: Path, under: str = ".") -> list[str]:
    """Tracked and untracked files that .gitignore does not exclude, relative to `root`."""
    out = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", "--", under, cwd=root)
    return sorted({name for name in out.decode("utf-8", "replace").split("\0") if name})


def staged_patch(root: Path) -> str:
    """`git diff --cached` with no context: the lines the next commit adds."""
    out = git("diff", "--cached", "--no-color", "--no-ext-diff", "--no-textconv", "-U0", "--diff-filter=ACMR",
              "--no-renames", cwd=root)
    return out.decode("utf-8", "replace")


def history_patch(root: Path, since: str) -> str:
    """Every commit in `since..HEAD`, each as `commit <sha>` and its zero-context patch."""
    out = git("log", "-p", "--no-color", "--no-ext-diff", "--no-textconv", "-U0", "--no-renames", "--format=commit %H",
              f"{since}..HEAD", cwd=root)
    return out.decode("utf-8", "replace")


def index_blobs(root: Path, paths: list[str]) -> dict[str, bytes]:
    """The staged (index) content of each path, read with one `git cat-file --batch`."""
    if not paths:
        return {}
    out = git("cat-file", "--batch", cwd=root, stdin="".join(f":{path}\n" for path in paths).encode())
    blobs: dict[str, bytes] = {}
    position = 0
    for path in paths:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            position = header_end + 1
            continue
        size = int(header[2])
        blobs[path] = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
    return blobs
