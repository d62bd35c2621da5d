"""`victor tools list|run`: every confinement and policy case refused through the real CLI path
(policy, audit), with the exit codes of shared/cli.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from victor import paths


@pytest.fixture
def fixture_repo(repo: Path, tmp_path: Path, victor_home: Path) -> Path:
    (tmp_path / "outside.txt").write_text("outside secret\n")
    (repo / "link_out").symlink_to(tmp_path / "outside.txt")
    (repo / "server.pem").write_text("-----BEGIN PRIVATE KEY-----\n")
    (victor_home / "profiles.yaml").write_text(  # the user allows `rm`, but denies `rm -rf`: deny wins
        "approvals:\n  tools:\n    run_shell:\n      allow: ['rm', 'ls']\n      deny: ['rm -rf']\n")
    (repo / ".victor").mkdir()
    (repo / ".victor" / "profiles.yaml").write_text(
        "approvals:\n  tools:\n    run_shell:\n      deny: ['rm -rf']\n    write_file:\n      deny: ['*.lock']\n")
    return repo


REFUSALS = [
    ("read_file", {"path": "../outside.txt"}, [], "outside the workspace"),
    ("read_file", {"path": "/etc/passwd"}, [], "outside the workspace"),
    ("list_dir", {"path": "/"}, [], "outside the workspace"),
    ("read_file", {"path": "link_out"}, [], "symlink"),
    ("write_file", {"path": ".git/hooks/pre-commit", "content": "#!/bin/sh\n"}, ["--approval", "full-auto"], "read-only"),
    ("edit_file", {"path": ".git/config", "old_text": "[core]", "new_text": "[x]"}, ["--approval", "full-auto"], "read-only"),
    ("read_file", {"path": ".env"}, ["--approval", "full-auto"], "protected path '.env'"),
    ("read_file", {"path": "server.pem"}, [], "protected path 'server.pem'"),
    ("write_file", {"path": "poetry.lock", "content": "x"}, ["--approval", "full-auto"], "deny rule"),
    ("run_shell", {"command": "rm -rf /"}, ["--approval", "full-auto"], "deny rule"),
    ("run_shell", {"command": "rm -rf build"}, [], "deny rule"),
    ("write_file", {"path": "notes.md", "content": "x"}, [], "no human is present"),
    ("run_shell", {"command": "git push"}, ["--approval", "auto-edit"], "no human is present"),
]


@pytest.mark.parametrize(("tool", "args", "flags", "why"), REFUSALS, ids=[f"{t}-{w}" for t, _, _, w in REFUSALS])
def test_refused_with_exit_4(cli, fixture_repo: Path, tool: str, args: dict, flags: list[str], why: str) -> None:
    done = cli("tools", "run", tool, "--args", json.dumps(args), *flags, cwd=fixture_repo)
    assert done.returncode == 4, done.stderr
    assert why in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (fixture_repo / ".git" / "hooks" / "pre-commit").exists()
    assert not (fixture_repo / "notes.md").exists()


def test_refusal_is_audited_with_redacted_args(cli, fixture_repo: Path) -> None:
    token = "".join(["ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"])
    done = cli("tools", "run", "write_file", "--args", json.dumps({"path": "a.txt", "content": token}), cwd=fixture_repo)
    assert done.returncode == 4
    log = paths.audit_log_file().read_text()
    records = [json.loads(line) for line in log.splitlines()]
    approval = next(r for r in records if r["action"] == "approval")
    assert approval["decision"] == "deny" and approval["by"] == "no-human" and approval["tool"] == "write_file"
    call = next(r for r in records if r["action"] == "tool_call")
    assert call["refused"] is True and call["args"]["path"] == "a.txt"
    assert token not in log


def test_allowed_calls_succeed_and_bad_input_is_a_usage_error(cli, fixture_repo: Path) -> None:
    done = cli("tools", "run", "read_file", "--args", '{"path": "README.md"}', cwd=fixture_repo)
    assert (done.returncode, done.stdout) == (0, "# Demo\n\nA demo project.\n\n")
    done = cli("tools", "run", "write_file", "--args", '{"path": "n.md", "content": "hi"}', "--approval", "auto-edit",
                  "--json", cwd=fixture_repo)
    assert done.returncode == 0 and (fixture_repo / "n.md").read_text() == "hi"
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["type"] for line in lines] == ["tool_call", "approval", "tool_result", "result"]
    assert lines[1]["by"] == "policy" and lines[3]["ok"] is True
    for args, message in [("{nope", "not valid JSON"), ("[1]", "JSON object"), ('{"pth": "x"}', "unknown field 'pth'")]:
        done = cli("tools", "run", "read_file", "--args", args, cwd=fixture_repo)
        assert done.returncode == 2 and message in done.stderr
    done = cli("tools", "run", "read_file", "--args", '{"path": "missing.md"}', cwd=fixture_repo)
    assert done.returncode == 1 and "does not exist" in done.stderr
    assert cli("tools", "run", "teleport", cwd=fixture_repo).returncode == 2
    assert cli("tools", "run", "read_file", "--approval", "yolo", cwd=fixture_repo).returncode == 2


def test_tools_list(cli, fixture_repo: Path) -> None:
    done = cli("tools", "list", "--json", cwd=fixture_repo)
    tools = {tool["name"]: tool for tool in json.loads(done.stdout)["tools"]}
    assert tools["run_shell"]["effect"] == "shell" and tools["read_file"]["parameters"]["required"] == ["path"]
