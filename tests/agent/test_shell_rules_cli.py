"""The review's shell-rule reproductions through the real CLI (`victor tools run run_shell`), with the
user's rules from their profile and no human present. The user's profile turns the sandbox off
(`backend: none`), so a command the policy wrongly approves really runs, here, in the test's repository:
before the fix these wrote proof.txt, AGENTS.md and sub/.git, and deleted files a deny rule covers.
One test runs the `${x@P}` line in the real Docker sandbox."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.agent.test_shell_rules import AT_P
from tests.tools.conftest import cli  # noqa: F401 - the in-process CLI fixture

PROFILE = """\
sandbox: {backend: none}
approvals:
  tools:
    run_shell:
      allow: ["ls", "git log", "git diff"]
      deny: ["rm -rf", "git push", "curl"]
"""


@pytest.fixture
def project(git_repo: Path, victor_home: Path) -> Path:
    (victor_home / "profiles.yaml").write_text(PROFILE)
    (git_repo / "AGENTS.md").write_text("Be careful.\n")
    (git_repo / "victim").mkdir()
    (git_repo / "victim" / "keep.txt").write_text("keep\n")
    for message in ("first", "gitdir: ../evil"):
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message], cwd=git_repo, check=True)
    (git_repo / "sub").mkdir()
    return git_repo


def shell(cli, repo: Path, command: str, *flags: str):  # noqa: ANN001, ANN201, F811
    return cli("tools", "run", "run_shell", "--args", json.dumps({"command": command}), *flags, cwd=repo)


@pytest.mark.parametrize("command", [
    AT_P,
    "ls > AGENTS.md",
    "git log --output=proof.txt",
    "git diff --output=proof.txt",
    "git log -1 --format=%B --output=sub/.git HEAD~1",
    "ls 2>proof.txt",
    "git diff --output proof.txt",
    "git log --outp=proof.txt",
])
def test_allow_rules_ask_instead_of_running_what_they_do_not_say(cli, project: Path, command: str) -> None:  # noqa: F811
    done = shell(cli, project, command)
    assert done.returncode == 4, done.stderr
    assert "no human is present" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "proof.txt").exists()
    assert not (project / "sub" / ".git").exists()
    assert (project / "AGENTS.md").read_text() == "Be careful.\n"


@pytest.mark.parametrize("command", [
    "/bin/rm -rf victim", "rm -fr victim", "rm -r -f victim", "'rm' -rf victim", "bash -c 'rm -rf victim'",
    "env rm --recursive --force victim", "rm${IFS}-rf${IFS}victim", "git -C . push", "curl${IFS}http://127.0.0.1:9",
])
def test_deny_rules_refuse_every_spelling_even_in_full_auto(cli, project: Path, command: str) -> None:  # noqa: F811
    done = shell(cli, project, command, "--approval", "full-auto")
    assert done.returncode == 4, done.stderr
    assert "deny rule" in done.stderr
    assert (project / "victim" / "keep.txt").exists()


def test_what_deny_rules_cannot_check_asks_in_full_auto(cli, project: Path) -> None:  # noqa: F811
    (project / "clean.sh").write_text("rm -rf victim\n")
    done = shell(cli, project, "bash clean.sh", "--approval", "full-auto")
    assert done.returncode == 4 and "cannot be checked" in done.stderr and "no human is present" in done.stderr
    assert (project / "victim" / "keep.txt").exists()


def test_a_literal_command_the_rule_names_runs(cli, project: Path) -> None:  # noqa: F811
    done = shell(cli, project, "ls victim && git log --format=%s -1")
    assert done.returncode == 0, done.stderr
    assert "keep.txt" in done.stdout and "gitdir: ../evil" in done.stdout


@pytest.mark.docker
def test_in_the_real_sandbox_the_at_p_line_asks_though_it_would_run_sh(
        cli, git_repo: Path, victor_home: Path, sandbox_image: str) -> None:  # noqa: F811
    (victor_home / "profiles.yaml").write_text("approvals:\n  tools:\n    run_shell:\n      allow: ['ls']\n")
    done = shell(cli, git_repo, AT_P)
    assert done.returncode == 4 and "no human is present" in done.stderr, done.stderr
    assert not (git_repo / "proof.txt").exists()
    done = shell(cli, git_repo, AT_P, "--approval", "full-auto")  # run anyway: `${x@P}` really starts sh
    assert (git_repo / "proof.txt").read_text().startswith("uid="), done.stdout
