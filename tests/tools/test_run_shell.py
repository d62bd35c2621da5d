"""run_shell through the real Docker sandbox: output, exit codes, the workspace mount, no network,
and the same policy path as every other tool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from victor import paths

pytestmark = pytest.mark.docker


def shell(cli, repo: Path, command: str, *flags: str):
    return cli("tools", "run", "run_shell", "--args", json.dumps({"command": command}), "--approval", "full-auto",
               *flags, cwd=repo)


def test_run_shell_runs_in_the_sandbox_not_on_the_host(cli, repo: Path, sandbox_image: str) -> None:
    done = shell(cli, repo, "cat README.md && id -u && touch made-in-sandbox && ls /var/run/docker.sock")
    assert done.returncode == 1, done.stderr  # ls fails: no docker socket in the sandbox
    assert "# Demo" in done.stdout and "[exit 2]" in done.stdout
    assert "\n0\n" not in done.stdout  # not root
    assert (repo / "made-in-sandbox").exists()  # the workspace is mounted read-write
    records = [json.loads(line) for line in paths.audit_log_file().read_text().splitlines()]
    assert [r["action"] for r in records if r["action"] in ("sandbox_exec", "tool_call")] == ["sandbox_exec", "tool_call"]


def test_run_shell_has_no_network_and_reports_success(cli, repo: Path, sandbox_image: str) -> None:
    done = shell(cli, repo, "getent hosts example.com || echo no-network")
    assert done.returncode == 0 and "no-network" in done.stdout and "[exit 0]" in done.stdout


def test_run_shell_in_git_is_read_only(cli, repo: Path, sandbox_image: str) -> None:
    done = shell(cli, repo, "echo x > .git/hooks/pre-commit")
    assert done.returncode == 1
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
