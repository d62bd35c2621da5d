"""Streamable-HTTP MCP servers (`url`): the notes server on loopback is listed by the real `victor mcp list`
with the SDK's HTTP client; in offline mode a URL past loopback is refused before any connection, as one
line, as is one that does not answer, and the other servers stay usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.mcp.conftest import serve_http

HERE = Path(__file__).parent


@pytest.fixture
def http_server():
    with serve_http(HERE / "notes_server.py") as url:
        yield url


def test_a_loopback_http_server_is_listed_with_its_tools(project: Path, victor, victor_home: Path,
                                                         http_server: str) -> None:
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump(
        {"mcp": {"servers": {"web": {"url": http_server, "tools": ["add", "whoami"]}}}}))
    done = victor("mcp", "list", "--json", "--offline", cwd=project, timeout=120)
    assert done.returncode == 0, done.stderr
    [web] = json.loads(done.stdout)["servers"]
    assert (web["transport"], web["state"], web["where"]) == ("http", "running", http_server)
    assert web["offered"] == ["mcp__web__add", "mcp__web__whoami"] and "probe" in web["listed"]


def test_offline_a_url_past_loopback_is_refused_as_one_line(project: Path, victor, victor_home: Path,
                                                            http_server: str) -> None:
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump({"mcp": {"servers": {
        "remote": {"url": "https://mcp.example.com/mcp"}, "web": {"url": http_server},
        "down": {"url": "http://127.0.0.1:9/mcp"}}}}))
    done = victor("mcp", "list", "--offline", cwd=project, timeout=120)
    assert done.returncode == 1
    assert "remote  http  failed" in done.stdout
    assert "offline mode allows only a url on loopback or in network.trusted_hosts, not " \
           "https://mcp.example.com/mcp" in done.stdout
    assert "web  http  running" in done.stdout
    assert "down  http  failed" in done.stdout and "HTTP failure during start: All connection attempts failed" \
        in done.stdout
    assert "Traceback" not in done.stderr


def test_a_session_goes_on_without_a_server_that_does_not_start(project: Path, victor, victor_home: Path,
                                                                http_server: str, httpserver) -> None:
    from tests.support.model_server import ModelServers

    servers = ModelServers(httpserver, [("mcp__web__add", {"a": 20, "b": 22}), "done"])
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump({
        "default_profile": "local",
        "profiles": {"local": {"provider": "openai-compatible", "model": "m", "base_url": servers.local_url}},
        "approvals": {"tools": {"mcp": {"allow": ["mcp__*"]}}},
        "mcp": {"servers": {"down": {"url": "http://127.0.0.1:9/mcp"}, "web": {"url": http_server}}}}))
    done = victor("run", "--json", "--offline", "add them", cwd=project, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "warning: MCP server 'down' is left out of this session: HTTP failure during start" in done.stderr
    offered = {tool["function"]["name"] for tool in servers.received[0].body["tools"]}
    assert "mcp__web__add" in offered and not any(name.startswith("mcp__down__") for name in offered)
    last = servers.received[-1].body["messages"]
    assert [message["content"] for message in last if message["role"] == "tool"] == ["42"]
