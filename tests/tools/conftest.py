"""Fixtures for tool tests: a small repository with files, a protected .env, and a ToolContext on it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from victor.config.schema import ApprovalConfig
from victor.tools.base import ToolContext
from victor.tools.workspace import Workspace


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "README.md").write_text("# Demo\n\nA demo project.\n")
    (git_repo / "src").mkdir()
    (git_repo / "src" / "app.py").write_text("def main():\n    return 42\n\n\ndef helper():\n    return 42\n")
    (git_repo / ".env").write_text("API_TOKEN=not-a-real-token\n")
    (git_repo / ".gitignore").write_text("build/\n")
    (git_repo / "build").mkdir()
    (git_repo / "build" / "out.py").write_text("def main():  # generated\n")
    subprocess.run(["git", "add", "README.md", "src", ".gitignore"], cwd=git_repo, check=True)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=git_repo, check=True)
    return git_repo


@pytest.fixture
def ctx(repo: Path) -> ToolContext:
    return ToolContext(Workspace(repo, ApprovalConfig().deny_paths))


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """`cli(*args, cwd=...)` runs the real command line in this process (subprocesses cost seconds)."""
    from victor.cli import run

    def invoke(*args: str, cwd: Path) -> CliResult:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
