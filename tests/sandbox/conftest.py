"""Sandbox test fixtures: small limits so every attack ends in seconds, a git workspace, one warm
sandbox session (the Python API, as `run_shell` uses it) and the real CLI path (`victor tools run
run_shell`), each returning the same normalised Outcome."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_victor
from victor.config.schema import SandboxConfig
from victor.sandbox.base import ExecResult

ATTACK_TIMEOUT_S = 2
LIMITS = {"memory": "256m", "cpus": 0.5, "pids_limit": 128, "timeout_s": 20, "output_limit_bytes": 65536,
          "tmp_size": "16m", "fsize_bytes": 32 << 20}


@dataclass
class Outcome:
    """One command's result, the same whichever path ran it; `output` has no trailing newline."""

    exit_code: int
    output: str
    timed_out: bool
    truncated: bool


@pytest.fixture
def limits() -> SandboxConfig:
    return SandboxConfig(**LIMITS)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    (repo / "README.md").write_text("hello\n")
    return repo


@pytest.fixture
def session(sandbox_image: str, limits: SandboxConfig, workspace: Path) -> Iterator:
    from victor.sandbox.factory import open_sandbox

    sandbox = open_sandbox(limits, workspace, offline=True)
    yield sandbox
    sandbox.close()


@pytest.fixture
def cli_shell(sandbox_image: str, victor_home: Path, workspace: Path) -> Callable[..., Outcome]:
    """`victor tools run run_shell` in a subprocess, with the test limits in the user's profile."""
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump({"sandbox": LIMITS}))

    def run(command: str, timeout_s: int = ATTACK_TIMEOUT_S, env: dict[str, str] | None = None) -> Outcome:
        args = json.dumps({"command": command, "timeout_s": timeout_s})
        done = run_victor("tools", "run", "run_shell", "--approval", "full-auto", "--json", "--args", args,
                          cwd=workspace, env=env, timeout=120)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        output = re.sub(r"\n?\[exit -?\d+\]$", "", result["output"]).rstrip("\n")
        return Outcome(result["exit_code"], output, "[timed out]" in output, "output truncated" in output)

    return run


def outcome(result: ExecResult) -> Outcome:
    """The API's result as the CLI shows it (run_shell drops trailing newlines)."""
    return Outcome(result.exit_code, result.output.rstrip("\n"), result.timed_out, result.truncated)


@pytest.fixture
def attack(session, cli_shell) -> Callable[..., list[Outcome]]:
    """Run `command` through the CLI and in the warm session; the session must answer the next command."""

    def run(command: str, timeout_s: int = ATTACK_TIMEOUT_S) -> list[Outcome]:
        results = [cli_shell(command, timeout_s), outcome(session.exec(command, timeout_s=timeout_s))]
        after = session.exec("echo still-alive", timeout_s=10)
        assert (after.exit_code, after.output) == (0, "still-alive\n"), after
        return results

    return run
