"""MCP fixtures: the profile that declares the tests' notes server (notes_server.py, run inside
Victor's container with the SDK mounted read-only from this venv), and a repository to run in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def site_packages() -> str:
    """The venv's site-packages that holds the `mcp` SDK (mounted read-only into the server's container)."""
    import mcp

    return str(Path(mcp.__file__).parent.parent)


def notes_server(**extra: object) -> dict:
    """The notes server's profile entry: python3 in the sandbox image, the SDK and the script mounted."""
    entry = {"command": ["python3", "/opt/notes/notes_server.py"], "env": {"PYTHONPATH": "/opt/site"},
             "mounts": [{"source": site_packages(), "target": "/opt/site"},
                        {"source": str(HERE), "target": "/opt/notes"}],
             "timeout_s": 30}
    entry.update(extra)
    return entry


@pytest.fixture
def project(git_repo: Path) -> Path:
    (git_repo / "README.md").write_text("# Demo\n")
    subprocess.run(["git", "add", "README.md"], cwd=git_repo, check=True)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=git_repo, check=True)
    return git_repo

