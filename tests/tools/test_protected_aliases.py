"""Protected files are never read without approval through another name: a committed symlink, a hard
link, a diff of the whole tree; and writes into git metadata, `.victor/` or Victor's state always need
a human (exit 4 with nobody there), whatever the mode or allow rules. All through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

SECRET = "SECRET_VALUE=" + "x9-" * 4 + "marker"  # built at run time; not a real credential


@pytest.fixture
def secret_repo(repo: Path) -> Path:
    """The repository with a committed `.env` (changed since), and a committed symlink to it."""
    (repo / ".env").write_text("SECRET_VALUE=old\n")
    (repo / "docs").mkdir()
    (repo / "docs" / "settings.txt").symlink_to("../.env")
    subprocess.run(["git", "add", "-f", ".env", "docs/settings.txt"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "env"], cwd=repo, check=True)
    (repo / ".env").write_text(SECRET + "\n")
    (repo / "README.md").write_text("# Changed\n")
    return repo


def _tool(cli, repo: Path, name: str, args: dict, *flags: str):
    return cli("tools", "run", name, "--args", json.dumps(args), *flags, cwd=repo)


def test_grep_does_not_follow_a_committed_symlink_to_a_protected_file(cli, secret_repo: Path) -> None:
    for args in ({"pattern": "SECRET_VALUE"}, {"pattern": "SECRET_VALUE", "path": "docs"}):
        done = _tool(cli, secret_repo, "grep", args)
        assert done.returncode == 0, done.stderr
        assert "marker" not in done.stdout and "protected file(s) not searched" in done.stdout
    named = _tool(cli, secret_repo, "grep", {"pattern": "SECRET", "path": "docs/settings.txt"})
    assert named.returncode == 4 and "protected path '.env'" in named.stderr and "marker" not in named.stdout


def test_read_file_through_a_symlink_or_a_hard_link_needs_approval(cli, secret_repo: Path) -> None:
    os.link(secret_repo / ".env", secret_repo / "notes.txt")  # what `ln .env notes.txt` in a shell leaves
    for path in ("docs/settings.txt", "notes.txt"):
        done = _tool(cli, secret_repo, "read_file", {"path": path}, "--approval", "full-auto")
        assert done.returncode == 4, (path, done.stdout)
        assert "marker" not in done.stdout + done.stderr and "no human is present" in done.stderr


@pytest.mark.parametrize("backend", [pytest.param("docker", marks=pytest.mark.docker), "none"])
def test_git_diff_of_the_whole_tree_leaves_protected_files_out(cli, secret_repo: Path, victor_home: Path,
                                                                request: pytest.FixtureRequest, backend: str) -> None:
    if backend == "docker":
        request.getfixturevalue("sandbox_image")
    (victor_home / "profiles.yaml").write_text(f"sandbox:\n  backend: {backend}\n")
    os.link(secret_repo / "src" / "app.py", secret_repo / "app-copy.py")  # a multiply linked file is protected
    subprocess.run(["git", "add", "app-copy.py"], cwd=secret_repo, check=True)
    for args in ({}, {"path": "."}):
        done = _tool(cli, secret_repo, "git_diff", args)
        assert done.returncode == 0, done.stderr
        assert "+# Changed" in done.stdout and "marker" not in done.stdout
        assert "protected file(s) not shown: .env" in done.stdout
    subprocess.run(["git", "add", "-f", ".env"], cwd=secret_repo, check=True)
    staged = _tool(cli, secret_repo, "git_diff", {"staged": True})
    assert "marker" not in staged.stdout and "app-copy.py" in staged.stdout and ".env" in staged.stdout
    assert _tool(cli, secret_repo, "git_diff", {"path": ".env"}).returncode == 4


WRITES = [
    ("write_file", {"path": ".victor/profiles.yaml", "content": "approvals: {mode: full-auto}\n"}),
    ("write_file", {"path": ".VICTOR/profiles.yaml", "content": "x"}),
    ("write_file", {"path": ".GIT/config", "content": "x"}),
    ("write_file", {"path": "sub/.Git/hooks/pre-commit", "content": "x"}),
    ("write_file", {"path": "store/hooks/pre-commit", "content": "x"}),
    ("edit_file", {"path": "store/config", "old_text": "[core]", "new_text": "[core]\n\tfsmonitor = x"}),
    ("write_file", {"path": "state/profiles.yaml", "content": "x"}),
]


@pytest.mark.parametrize(("tool", "args"), WRITES, ids=[args["path"] for _, args in WRITES])
def test_writes_into_read_only_places_always_need_a_human(cli, repo: Path, victor_home: Path, monkeypatch,
                                                          tool: str, args: dict) -> None:
    (repo / ".git").rename(repo / "store")
    (repo / ".git").write_text("gitdir: store\n")
    monkeypatch.setenv("VICTOR_HOME", str(repo / "state"))
    (repo / "state").mkdir()
    (repo / "state" / "profiles.yaml").write_text(  # the user allows every write, everywhere
        "approvals:\n  mode: full-auto\n  tools:\n    write_file: {allow: ['**', '*', '.victor/*']}\n"
        "    edit_file: {allow: ['**', '*']}\n")
    before = _contents(repo)
    done = _tool(cli, repo, tool, args)
    assert done.returncode == 4, done.stdout
    assert "read-only to the agent" in done.stderr and "no human is present" in done.stderr
    assert _contents(repo) == before
    assert _tool(cli, repo, "write_file", {"path": "notes.md", "content": "ok"}).returncode == 0


def _contents(repo: Path) -> dict[Path, bytes]:
    """Every file of the workspace but Victor's own audit log, which the call itself appends to."""
    return {path: path.read_bytes() for path in repo.rglob("*")
            if path.is_file() and "audit" not in path.relative_to(repo).parts}


def test_a_fifo_planted_in_the_workspace_is_refused_not_waited_on(victor, repo: Path) -> None:
    os.mkfifo(repo / "pipe")
    done = victor("tools", "run", "write_file", "--args", '{"path": "pipe", "content": "x"}', "--approval",
                  "full-auto", cwd=repo, timeout=60)
    assert done.returncode == 4 and "not a regular file" in done.stderr, done.stderr
