"""Helpers for the secrets tests: git commands in a temporary repository, and a made-up token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

# Generated, not real credentials; put together at run time (a literal split with + is still a
# token to the scanner), so this file itself holds none.
TOKEN = "".join(["ghp_", "Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznBQ4x9"])
AWS_ID = "".join(["AKIA", "QYLPMN5HHHFPZAM2"])


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def committed_repo(git_repo: Path) -> Path:
    """A repository with one clean commit."""
    (git_repo / "README.md").write_text("# demo\n")
    git(git_repo, "add", "README.md")
    git(git_repo, "commit", "-qm", "init")
    return git_repo
