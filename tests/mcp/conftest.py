"""MCP fixtures: the profile that declares the tests' notes server (notes_server.py, run inside
Victor's container with the SDK mounted read-only from this venv), a repository to run in, and what
the tests read back: the JSON events of `victor run`, the tool results the model saw, audit records
and the MCP containers left."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.support.model_server import ModelServers
from victor import paths
from victor.mcp.client import MCPConnection

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


def configure(victor_home: Path, servers: ModelServers | None, *, mcp: dict | None = None,
              context_window: int | None = None, **notes: object) -> None:
    """The user's profile: the MCP servers `mcp` (default: the notes server with `notes` settings), each
    server's tools allowed, and with `servers` a local and a cloud model profile on the scripted servers."""
    mcp = mcp or {"notes": notes_server(**notes)}
    profile: dict = {"mcp": {"servers": mcp},
                     "approvals": {"tools": {"mcp": {"allow": [f"mcp__{name}__*" for name in mcp]}}}}
    if servers is not None:
        local = {"provider": "openai-compatible", "model": "local-coder", "base_url": servers.local_url}
        profile |= {"default_profile": "local", "profiles": {
            "local": local | ({"context_window": context_window} if context_window else {}),
            "cloud": {"provider": "openai", "model": "gpt-4o-mini", "api_key": "test-key"}},
            "routing": {"local_profile": "local", "cloud_profile": "cloud", "cloud_tasks": ["general"]}}
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump(profile))


def run_json(victor, *args: str, cwd: Path) -> tuple[int, list[dict]]:
    done = victor("run", "--json", *args, cwd=cwd, timeout=240)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events and events[-1]["type"] == "done", done.stderr
    return done.returncode, events


def tool_messages(servers: ModelServers) -> list[str]:
    last = servers.received[-1].body["messages"]
    return [message["content"] for message in last if message["role"] == "tool"]


def audit(action: str) -> list[dict]:
    records = map(json.loads, paths.audit_log_file().read_text().splitlines())
    return [record for record in records if record["action"] == action]


def mcp_containers() -> list:
    from victor.sandbox.engine import LABEL, connect

    return connect().containers.list(all=True, filters={"label": f"{LABEL}=mcp"})


@contextlib.contextmanager
def serve_http(script: Path) -> Iterator[str]:
    """An SDK server script (`script --http PORT`) on a free loopback port; its streamable-HTTP URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, str(script), "--http", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, f"{script.name} did not start"
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


def stdio_connection(*args: str, timeout_s: float = 20) -> MCPConnection:
    """A connection to `python ARGS` over this machine's stdio (no container), named 'notes'."""
    from mcp import StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=sys.executable, args=list(args))
    stderr = tempfile.TemporaryFile()
    return MCPConnection("notes", lambda: stdio_client(params, errlog=stderr), timeout_s=timeout_s, stderr=stderr)
