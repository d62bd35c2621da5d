"""`scan-secrets --staged / --since / --all-files` on a repository whose config names commands (a
textconv driver, an external diff, fsmonitor, a pager): the scan runs none of them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def hostile(git_repo: Path, tmp_path: Path) -> Path:
    marker = tmp_path / "ran"
    (git_repo / ".gitattributes").write_text("* diff=x\n")
    (git_repo / "app.py").write_text("print('hello')\n")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "first", "--no-verify")
    (git_repo / "app.py").write_text("print('hello again')\n")
    git(git_repo, "add", "app.py")
    command = f"sh -c 'echo ran >> {marker}; cat \"$1\"' -"
    for key, value in (("diff.x.textconv", command), ("diff.external", command), ("core.fsmonitor", command),
                       ("core.pager", command), ("diff.x.command", command)):
        git(git_repo, "config", key, value)
    return marker


@pytest.mark.parametrize("mode", [["--staged"], ["--since", "HEAD~0"], ["--all-files"]])
def test_scanning_runs_no_command_from_the_repository_config(victor, git_repo, hostile, mode):
    result = victor("scan-secrets", *mode, cwd=git_repo)
    assert result.returncode == 0, result.stderr
    assert not hostile.exists(), f"a config-driven command ran during scan-secrets {' '.join(mode)}"
