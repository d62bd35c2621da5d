"""Hooks that block commits: `victor hooks install` (chaining an existing hook, --force replacing
it) with real `git commit`, and the pre-commit framework running `.pre-commit-hooks.yaml`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.secrets.conftest import TOKEN, git

PROJECT = Path(__file__).resolve().parents[2]


def commit(repo: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(text)
    git(repo, "add", name)
    return subprocess.run(["git", "-C", str(repo), "commit", "-qm", f"add {name}"], capture_output=True, text=True)


def test_installed_hook_blocks_a_secret_and_lets_a_clean_commit_through(committed_repo: Path, victor) -> None:
    installed = victor("hooks", "install")
    assert installed.returncode == 0, installed.stderr
    blocked = commit(committed_repo, "leak.py", f"TOKEN = '{TOKEN}'\n")
    assert blocked.returncode == 1
    output = blocked.stdout + blocked.stderr  # git passes a hook's stdout on to stderr
    assert "leak.py:1 github-pat ghp_…" in output and TOKEN not in output
    git(committed_repo, "reset", "-q")
    assert commit(committed_repo, "ok.py", "TOKEN = os.environ['TOKEN']\n").returncode == 0


def test_install_chains_an_existing_hook_and_force_replaces_it(committed_repo: Path, victor) -> None:
    hooks = committed_repo / ".git" / "hooks"
    existing = hooks / "pre-commit"
    existing.write_text("#!/bin/sh\necho earlier-hook-ran\nexit 0\n")
    existing.chmod(0o755)
    assert "runs first" in victor("hooks", "install").stdout
    assert (hooks / "pre-commit.victor-chained").read_text().startswith("#!/bin/sh\necho earlier-hook-ran")
    result = commit(committed_repo, "ok.py", "x = 1\n")
    assert result.returncode == 0 and "earlier-hook-ran" in result.stdout + result.stderr
    assert victor("hooks", "install").returncode == 0  # re-install: still ours, chain kept
    assert (hooks / "pre-commit.victor-chained").exists()

    (hooks / "pre-commit").write_text("#!/bin/sh\nexit 0\n")
    refused = victor("hooks", "install")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert victor("hooks", "install", "--force").returncode == 0
    assert "victor-scan-secrets hook" in (hooks / "pre-commit").read_text()


def test_hooks_install_outside_a_repository_is_a_usage_error(tmp_path: Path, victor) -> None:
    result = victor("hooks", "install", cwd=tmp_path)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr


def _hook_repo(tmp_path: Path) -> Path:
    """A committed copy of this project's files, as pre-commit users point at (it needs a git ref)."""
    copy = tmp_path / "victor-hook-repo"
    listed = git(PROJECT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = PROJECT / name
        if source.is_file() and not name.startswith(("tests/", "bench/")):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q", "-b", "main")
    git(copy, "add", ".")
    git(copy, "-c", "user.email=dev@example.test", "-c", "user.name=Dev", "commit", "-qm", "hook repo")
    return copy


@pytest.mark.slow
def test_pre_commit_framework_runs_the_hook_from_pre_commit_hooks_yaml(committed_repo: Path, tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    hook_repo = _hook_repo(tmp_path)
    rev = git(hook_repo, "rev-parse", "HEAD").strip()
    (committed_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: victor-scan-secrets\n"
    )
    git(committed_repo, "add", ".pre-commit-config.yaml")
    # pre-commit builds the hook's own virtualenv from the hook repo: pip installs Victor and its
    # dependencies. Offline (the egress guard on, CI's network namespace) pip may only use a wheelhouse,
    # which .ci/run builds and names in PIP_FIND_LINKS, with PIP_NO_INDEX=1.
    if os.environ.get("VICTOR_TEST_EGRESS_GUARD") == "1" and os.environ.get("PIP_NO_INDEX") != "1":
        pytest.fail("offline, pre-commit's pip needs a wheelhouse: set PIP_NO_INDEX=1 and PIP_FIND_LINKS=DIR "
                    "(pip wheel -w DIR '.[local,dev]' hatchling; .ci/run does this)", pytrace=False)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    subprocess.run([str(pre_commit), "install"], cwd=committed_repo, env=env, check=True, capture_output=True)

    (committed_repo / "leak.py").write_text(f"TOKEN = '{TOKEN}'\n")
    git(committed_repo, "add", "leak.py")
    blocked = subprocess.run(["git", "commit", "-qm", "leak"], cwd=committed_repo, env=env, capture_output=True, text=True)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    output = blocked.stdout + blocked.stderr
    assert "victor scan-secrets" in output and "leak.py:1 github-pat ghp_…" in output
    assert TOKEN not in output

    git(committed_repo, "rm", "-q", "--cached", "leak.py")
    (committed_repo / "ok.py").write_text("x = 1\n")
    git(committed_repo, "add", "ok.py")
    clean = subprocess.run(["git", "commit", "-qm", "clean"], cwd=committed_repo, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
