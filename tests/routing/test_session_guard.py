"""The guard sees everything that leaves, through the real `victor run`: a cloud profile (the OpenAI
SDK pointed at a loopback server by OPENAI_BASE_URL) and a local OpenAI-compatible server record
every request, and the test reads what the cloud received. A token read at turn 1 never reaches
the cloud later in the session, nor after --continue (the transcript holds a placeholder); a token in the instructions files keeps turn 1 local, with a true
reason; a restricted file read by the agent keeps the rest of the session (and --continue) local."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.routing.conftest import fake_github_pat
from tests.support.model_server import ModelServers

PROFILES = """
default_profile: local
profiles:
  local: {{provider: openai-compatible, model: local-coder, base_url: "{local}"}}
  cloud: {{provider: openai, model: gpt-4o-mini, api_key: test-key, sensitive_data: {policy}}}
routing:
  local_profile: local
  cloud_profile: cloud
  local_tasks: [refactoring]
  cloud_tasks: [general]
data_classes:
  restricted: {{paths: ["secrets/**"], providers: [openai-compatible]}}
"""
# Five distinct read-only calls after the first read, then an answer: turns 2..7 of one run.
LATER_TURNS = [("list_dir", {"path": "."}), ("glob", {"pattern": "**/*.md"}), ("list_dir", {"path": "docs"}),
               ("grep", {"pattern": "Guide"}), ("read_file", {"path": "README.md"}), "all done"]


@pytest.fixture
def token() -> str:
    return fake_github_pat(11)


@pytest.fixture
def project(git_repo: Path, token: str) -> Path:
    (git_repo / "README.md").write_text("# Demo\n\nA demo project.\n")
    (git_repo / "docs").mkdir()
    (git_repo / "docs" / "guide.md").write_text("# Guide\n\nHow to deploy.\n")
    (git_repo / "config").mkdir()
    (git_repo / "config" / "deploy.txt").write_text(f"registry login\ntoken = {token}\n")
    (git_repo / "secrets").mkdir()
    (git_repo / "secrets" / "plan.md").write_text("Acquisition of Initech closes in March.\n")
    return git_repo


def servers_for(httpserver: HTTPServer, victor_home: Path, monkeypatch: pytest.MonkeyPatch, turns: list,
                *, policy: str = "route_local") -> ModelServers:
    servers = ModelServers(httpserver, list(turns))
    (victor_home / "profiles.yaml").write_text(PROFILES.format(local=servers.local_url, policy=policy))
    monkeypatch.setenv("OPENAI_BASE_URL", servers.cloud_url)
    return servers


def run_json(victor, *args: str, cwd: Path) -> tuple[int, list[dict]]:
    done = victor("run", "--json", "--task", "general", *args, cwd=cwd)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events and events[-1]["type"] == "done", done.stderr
    return done.returncode, events


def route_reasons(events: list[dict]) -> list[str]:
    return [reason for event in events if event["type"] == "route" for reason in event["reasons"]]


def test_a_token_read_at_turn_one_never_reaches_the_cloud(project: Path, httpserver: HTTPServer, victor_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch, victor, token: str) -> None:
    turns = [("read_file", {"path": "config/deploy.txt"}), *LATER_TURNS]
    servers = servers_for(httpserver, victor_home, monkeypatch, turns)
    code, events = run_json(victor, "look around the repository", cwd=project)
    assert code == 0, events[-2:]
    assert servers.sides() == ["cloud"] + ["local"] * 6  # the token stays local for turns 2..7
    assert token not in servers.sent_to_cloud()
    assert "github-pat in tool result 1 (read_file): 'cloud' policy route_local keeps it on this machine → 'local'" \
        in route_reasons(events)
    servers.turns += ["the registry is fine", "nothing else"]
    for follow_up in ("and the registry?", "anything else?"):  # later turns, from the saved transcript
        assert run_json(victor, "--continue", follow_up, cwd=project)[0] == 0
    assert servers.sides()[7:] == ["cloud", "cloud"]  # the transcript holds a placeholder, not the token
    assert token not in servers.sent_to_cloud() and "SECRET:github-pat:1" in servers.received[-1].text


def test_under_redact_every_later_turn_reaches_the_cloud_with_placeholders(
        project: Path, httpserver: HTTPServer, victor_home: Path, monkeypatch: pytest.MonkeyPatch, victor,
        token: str) -> None:
    turns = [("read_file", {"path": "config/deploy.txt"}), *LATER_TURNS]
    servers = servers_for(httpserver, victor_home, monkeypatch, turns, policy="redact")
    code, events = run_json(victor, "look around the repository", cwd=project)
    assert code == 0
    assert servers.sides() == ["cloud"] * 7, "\n".join(route_reasons(events))
    assert token not in servers.sent_to_cloud()
    assert all("«SECRET:github-pat:1»" in request.text for request in servers.received[1:])


def test_a_token_in_a_tool_call_argument_is_redacted_too(project: Path, httpserver: HTTPServer, victor_home: Path,
                                                         monkeypatch: pytest.MonkeyPatch, victor, token: str) -> None:
    turns = [("glob", {"pattern": f"**/{token}*"}), "nothing found"]
    servers = servers_for(httpserver, victor_home, monkeypatch, turns, policy="redact")
    run_json(victor, "look around the repository", cwd=project)
    assert servers.sides() == ["cloud", "cloud"] and token not in servers.sent_to_cloud()


@pytest.mark.parametrize("instructions", ["AGENTS.md", ".victor/instructions.md"])
def test_a_token_in_the_instructions_keeps_turn_one_local(project: Path, httpserver: HTTPServer, victor_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch, victor, token: str,
                                                          instructions: str) -> None:
    (project / instructions).parent.mkdir(exist_ok=True)
    (project / instructions).write_text(f"Deploy with the bot account; its token is {token}.\n")
    servers = servers_for(httpserver, victor_home, monkeypatch, ["hello"])
    code, events = run_json(victor, "say hello", cwd=project)
    assert code == 0 and servers.sides() == ["local"], events
    assert f"github-pat in system prompt ({instructions}): 'cloud' policy route_local keeps it on this machine " \
           "→ 'local'" in route_reasons(events)


def test_a_restricted_file_read_by_the_agent_keeps_the_session_local(
        project: Path, httpserver: HTTPServer, victor_home: Path, monkeypatch: pytest.MonkeyPatch, victor) -> None:
    turns = [("read_file", {"path": "secrets/plan.md"}), *LATER_TURNS, "still here"]
    servers = servers_for(httpserver, victor_home, monkeypatch, turns)
    code, events = run_json(victor, "look around the repository", cwd=project)
    assert code == 0 and servers.sides() == ["cloud"] + ["local"] * 6, route_reasons(events)
    assert "restricted (secrets/plan.md matches 'secrets/**'); may go to openai-compatible" in route_reasons(events)
    assert "Initech" not in servers.sent_to_cloud()
    code, events = run_json(victor, "--continue", "anything else?", cwd=project)
    assert code == 0 and servers.sides()[-1] == "local"
    assert "restricted (secrets/plan.md matches 'secrets/**'); may go to openai-compatible" in route_reasons(events)


@pytest.mark.parametrize("first_call", [
    ("read_file", {"path": "docs/plan-link.md"}),  # a symlink to it
    ("grep", {"pattern": "Initech"}),  # its lines, quoted with its name
], ids=["symlink", "grep"])
def test_a_restricted_file_read_under_another_name_keeps_the_session_local(
        project: Path, httpserver: HTTPServer, victor_home: Path, monkeypatch: pytest.MonkeyPatch, victor,
        first_call: tuple) -> None:
    (project / "docs" / "plan-link.md").symlink_to("../secrets/plan.md")
    servers = servers_for(httpserver, victor_home, monkeypatch, [first_call, ("list_dir", {"path": "."}), "done"])
    code, events = run_json(victor, "look around the repository", cwd=project)
    assert code == 0 and servers.sides() == ["cloud", "local", "local"], route_reasons(events)
    assert "Initech" not in servers.sent_to_cloud()


def test_a_restricted_file_named_in_the_prompt_keeps_turn_one_local(
        project: Path, httpserver: HTTPServer, victor_home: Path, monkeypatch: pytest.MonkeyPatch, victor) -> None:
    servers = servers_for(httpserver, victor_home, monkeypatch, ["ok"])
    code, events = run_json(victor, "summarise secrets/plan.md for me", cwd=project)
    assert code == 0 and servers.sides() == ["local"], events
