"""Ctrl+C during an MCP call. The notes server's `hang` tool sleeps for an hour inside its container:
SIGINT to `victor run --json` abandons the call at once, the run ends with `done` (reason cancelled,
exit 130) and the container is removed. In a session a cancelled call leaves the server serving: the
next run calls it again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.mcp.conftest import audit, configure, mcp_containers, tool_messages
from tests.support.model_server import ModelServers
from victor.session import Session

pytestmark = pytest.mark.docker


def test_ctrl_c_during_an_mcp_call_ends_the_run_cancelled(project: Path, victor_home: Path, httpserver: HTTPServer,
                                                          sandbox_image: str) -> None:
    servers = ModelServers(httpserver, [("mcp__notes__hang", {}), "never asked"])
    configure(victor_home, servers)
    process = subprocess.Popen([sys.executable, "-m", "victor", "run", "--json", "--task", "refactoring", "wait"],
                               cwd=project, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    events = []
    for line in process.stdout:
        events.append(json.loads(line))
        if events[-1]["type"] == "tool_call":
            break
    time.sleep(2)  # the call is now pending in the server
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    rest, errors = process.communicate(timeout=120)
    seconds = time.monotonic() - interrupted
    events += [json.loads(line) for line in rest.splitlines()]
    print(f"SIGINT to exit, container removed included: {seconds:.1f} s")
    assert process.returncode == 130, errors
    assert events[-1]["type"] == "done" and (events[-1]["reason"], events[-1]["ok"]) == ("cancelled", False)
    result = next(event for event in events if event["type"] == "tool_result")
    assert not result["ok"] and "tools/call hang was cancelled" in result["summary"]
    assert seconds < 20  # not the server's 30 s timeout, not the hour the tool sleeps
    assert len(servers.received) == 1  # no model turn after the cancel
    [call] = audit("mcp_call")
    assert (call["tool"], call["success"]) == ("hang", False) and call["error"].endswith("was cancelled")
    assert mcp_containers() == []


def test_a_cancelled_call_leaves_the_server_serving_the_session(project: Path, victor_home: Path,
                                                                httpserver: HTTPServer, sandbox_image: str) -> None:
    servers = ModelServers(httpserver, [("mcp__notes__hang", {}), ("mcp__notes__add", {"a": 2, "b": 40}), "42"])
    configure(victor_home, servers)
    session = Session.open(project)
    try:
        cancel = threading.Event()
        first = []
        for event in session.run("wait", task="refactoring", cancel=cancel):
            first.append(event)
            if event.type == "tool_call":
                threading.Timer(2.0, cancel.set).start()
        assert (first[-1].reason, first[-1].exit_code) == ("cancelled", 130)
        second = list(session.run("add 2 and 40", task="refactoring"))
        assert second[-1].ok, second[-3:]
        assert tool_messages(servers)[-1] == "42"
        assert session.toolbox.mcp.states["notes"].state == "running"
    finally:
        session.close()
    assert mcp_containers() == []
