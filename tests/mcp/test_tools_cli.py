"""`victor tools run mcp__<server>__<tool>` and `victor tools list` with MCP servers: the notes server's
tools run like built-in ones (the same approval rules, audit records, output and exit codes), only the
named server is started, and a name no server offers is a usage error that says what there is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.mcp.conftest import audit, mcp_containers, notes_server

pytestmark = pytest.mark.docker


@pytest.fixture
def servers(victor_home: Path, sandbox_image: str) -> None:
    """The notes server, and a server that cannot start (only a call that needs it may notice)."""
    profile = {"mcp": {"servers": {"notes": notes_server(), "broken": {"command": ["/no/such/server"]}}}}
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump(profile))


def test_an_mcp_tool_runs_like_a_built_in_one(project: Path, victor, servers: None) -> None:
    done = victor("tools", "run", "mcp__notes__add", "--args", '{"a": 2, "b": 40}', "--approval", "full-auto",
                  cwd=project, timeout=240)
    assert (done.returncode, done.stdout) == (0, "42\n"), done.stderr
    assert "broken" not in done.stderr  # only the server the call needs was started
    [approval] = audit("approval")
    assert (approval["tool"], approval["decision"], approval["by"]) == ("mcp__notes__add", "approve", "policy")
    [call] = audit("tool_call")
    assert (call["tool"], call["success"], call["args"]) == ("mcp__notes__add", True, {"a": 2, "b": 40})
    assert [(record["tool"], record["result"]) for record in audit("mcp_call")] == [("add", "42")]
    assert mcp_containers() == []


def test_json_output_has_the_events_and_the_result(project: Path, victor, servers: None) -> None:
    done = victor("tools", "run", "mcp__notes__add", "--args", '{"a": 1, "b": 1}', "--approval", "full-auto",
                  "--json", cwd=project, timeout=240)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["type"] for line in lines] == ["tool_call", "approval", "tool_result", "result"], done.stderr
    assert (lines[-1]["ok"], lines[-1]["output"]) == (True, "2")


@pytest.mark.parametrize(("flags", "rules", "why"), [
    ([], {}, "calls an MCP server's tool (mode ask): approval needed and no human is present"),
    (["--approval", "full-auto"], {"deny": ["mcp__notes__*"]}, "a deny rule for mcp matches mcp__notes__add"),
])
def test_approval_rules_refuse_an_mcp_tool_with_exit_4(project: Path, victor, victor_home: Path, servers: None,
                                                       flags: list[str], rules: dict, why: str) -> None:
    if rules:
        (project / ".victor").mkdir()
        (project / ".victor" / "profiles.yaml").write_text(yaml.safe_dump({"approvals": {"tools": {"mcp": rules}}}))
    done = victor("tools", "run", "mcp__notes__add", "--args", '{"a": 1, "b": 1}', *flags, cwd=project, timeout=240)
    assert done.returncode == 4 and why in done.stderr, done.stderr
    assert audit("mcp_call") == []


@pytest.mark.parametrize(("name", "code", "message"), [
    ("mcp__notes__nope", 2, "unknown tool 'mcp__notes__nope': MCP server 'notes' offers mcp__notes__add, "),
    ("mcp__ghost__add", 2, "unknown tool 'mcp__ghost__add': no MCP server 'ghost' in the profiles"),
    ("mcp__broken__x", 1, "MCP server 'broken' did not start: "),
])
def test_a_tool_no_server_offers_says_what_there_is(project: Path, victor, servers: None, name: str, code: int,
                                                    message: str) -> None:
    done = victor("tools", "run", name, "--approval", "full-auto", cwd=project, timeout=240)
    assert done.returncode == code and f"victor: error: {message}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_tools_list_shows_the_mcp_tools(project: Path, victor, servers: None) -> None:
    listed = victor("tools", "list", "--json", cwd=project, timeout=240)
    rows = {row["name"]: row for row in json.loads(listed.stdout)["tools"]}
    assert rows["mcp__notes__add"]["effect"] == "mcp" and rows["read_file"]["effect"] == "read"
    assert rows["mcp__notes__add"]["parameters"]["required"] == ["a", "b"]
    assert "MCP server 'broken' is left out" in listed.stderr
    human = victor("tools", "list", cwd=project, timeout=240)
    assert "mcp__notes__add" in human.stdout and "a, b" in human.stdout
    assert mcp_containers() == []
