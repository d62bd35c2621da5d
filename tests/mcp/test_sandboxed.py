"""The notes server (notes_server.py, written with the SDK's server API) started by the real `victor`
inside its own locked-down container: listed by `victor mcp list`, called by a model through
`victor run --json` (the scripted OpenAI-compatible server on loopback plays the model), every call and
result in the audit log; a network attempt from inside the server fails, it sees only its declared
environment, a crash is one error and the session goes on, and a secret in a result never reaches a
cloud profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.mcp.conftest import audit, configure, mcp_containers, run_json, tool_messages
from tests.routing.conftest import fake_github_pat
from tests.support.model_server import ModelServers
from victor import paths

pytestmark = pytest.mark.docker


def test_mcp_list_starts_the_server_in_the_sandbox_and_shows_its_tools(project: Path, victor, victor_home: Path,
                                                                       sandbox_image: str) -> None:
    configure(victor_home, None)
    done = victor("mcp", "list", "--json", cwd=project, timeout=240)
    assert done.returncode == 0, done.stderr
    [notes] = json.loads(done.stdout)["servers"]
    assert notes["state"] == "running" and notes["transport"] == "stdio"
    assert "(no network)" in notes["where"]
    assert set(notes["offered"]) == {f"mcp__notes__{tool}" for tool in
                                     ("add", "probe", "whoami", "deploy_token", "hang", "crash")}
    human = victor("mcp", "list", cwd=project, timeout=240)
    assert "notes  stdio  running" in human.stdout and "mcp__notes__add  Add two whole numbers." in human.stdout
    assert mcp_containers() == []  # stopped again


def test_a_model_calls_the_servers_tools_through_victor_run(project: Path, victor, victor_home: Path,
                                                            httpserver: HTTPServer, sandbox_image: str) -> None:
    servers = ModelServers(httpserver, [("mcp__notes__add", {"a": 2, "b": 40}), ("mcp__notes__probe", {}),
                                        ("mcp__notes__whoami", {}), "the answer is 42"])
    configure(victor_home, servers)
    code, events = run_json(victor, "--task", "refactoring", "add 2 and 40", cwd=project)
    assert code == 0, events[-3:]
    offered = {tool["function"]["name"] for tool in servers.received[0].body["tools"]}
    assert {"mcp__notes__add", "mcp__notes__probe", "read_file"} <= offered
    added, probed, who = tool_messages(servers)
    assert added == "42"
    assert probed.startswith("refused: [Errno 101] Network is unreachable")  # no network in its container
    uid, cwd, env = who.split(" ")
    assert cwd == "cwd=/workspace" and uid != "uid=0"
    assert set(env.removeprefix("env=").split(",")) <= {"HOME", "TMPDIR", "PYTHONPATH", "PATH", "LANG", "HOSTNAME"}
    calls = audit("mcp_call")
    assert [(call["tool"], call["success"], call["result"]) for call in calls][:2] == \
        [("add", True, "42"), ("probe", True, probed.splitlines()[0][:200])]
    assert [record["tool"] for record in audit("tool_call")] == \
        ["mcp__notes__add", "mcp__notes__probe", "mcp__notes__whoami"]
    [started] = audit("mcp_server")
    assert started["state"] == "running" and "no network" in started["where"]
    assert mcp_containers() == []


def test_a_crashing_server_is_one_error_and_the_session_goes_on(project: Path, victor, victor_home: Path,
                                                                httpserver: HTTPServer, sandbox_image: str) -> None:
    servers = ModelServers(httpserver, [("mcp__notes__crash", {}), ("mcp__notes__add", {"a": 1, "b": 1}),
                                        ("read_file", {"path": "README.md"}), "carried on"])
    configure(victor_home, servers)
    code, events = run_json(victor, "--task", "refactoring", "crash it", cwd=project)
    assert code == 0, events[-3:]
    assert len(servers.received) == 4  # the model got every result and answered
    crashed, again, readme = tool_messages(servers)
    assert crashed == "error: MCP server 'notes': the server stopped during tools/call crash " \
                      "(notes: crashing on purpose)"
    assert again.startswith("error: MCP server 'notes' is not running (the server stopped during tools/call crash")
    assert readme.startswith("# Demo")
    assert mcp_containers() == []


def test_a_secret_in_an_mcp_result_never_reaches_a_cloud_profile(project: Path, victor, victor_home: Path,
                                                                 httpserver: HTTPServer,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 sandbox_image: str) -> None:
    token = fake_github_pat(16)
    servers = ModelServers(httpserver, [("mcp__notes__deploy_token", {}), "done"])
    configure(victor_home, servers, env={"PYTHONPATH": "/opt/site", "NOTES_TOKEN": token})
    monkeypatch.setenv("OPENAI_BASE_URL", servers.cloud_url)
    code, events = run_json(victor, "--task", "general", "what is the deploy token?", cwd=project)
    assert code == 0, events[-3:]
    assert servers.sides() == ["cloud", "local"]  # the result holding the token kept turn 2 local
    assert token in servers.received[1].text
    assert token not in servers.sent_to_cloud()
    assert token not in paths.audit_log_file().read_text()


def test_a_server_the_user_file_opens_gets_a_network_but_never_offline(project: Path, victor, victor_home: Path,
                                                                       sandbox_image: str) -> None:
    configure(victor_home, None, network=True, tools=["add"])
    online = victor("mcp", "list", "--json", cwd=project, timeout=240)
    offline = victor("mcp", "list", "--json", "--offline", cwd=project, timeout=240)
    assert json.loads(online.stdout)["servers"][0]["where"].endswith("(network)"), online.stderr
    assert json.loads(offline.stdout)["servers"][0]["where"].endswith("(no network)"), offline.stderr
