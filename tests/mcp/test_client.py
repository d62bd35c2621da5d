"""The MCP connection against real servers on this machine's stdio (no container needed here): the
notes server, and a raw JSON-RPC script that answers nonsense. A hang, a crash and a malformed answer
are each one MCPError line, and a broken server then fails fast; a cancelled call returns at once and
the server goes on serving."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.mcp.conftest import stdio_connection
from victor.errors import MCPError
from victor.mcp.client import MCPConnection

HERE = Path(__file__).parent
MALFORMED = """
import json, sys
for line in sys.stdin:
    request = json.loads(line)
    if "id" in request:
        answer = {"protocolVersion": 7} if request["method"] == "initialize" else "nonsense"
        print(json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": answer}), flush=True)
"""

# A raw JSON-RPC server that refuses a call whose text is not a string with a protocol error.
STRICT = """
import json, sys
TOOL = {"name": "echo", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}
for line in sys.stdin:
    request = json.loads(line)
    if "id" not in request:
        continue
    method, params = request["method"], request.get("params") or {}
    reply = {"jsonrpc": "2.0", "id": request["id"]}
    if method == "initialize":
        reply["result"] = {"protocolVersion": params["protocolVersion"], "capabilities": {"tools": {}},
                           "serverInfo": {"name": "strict", "version": "1"}}
    elif method == "tools/list":
        reply["result"] = {"tools": [TOOL]}
    elif not isinstance(params.get("arguments", {}).get("text"), str):
        reply["error"] = {"code": -32602, "message": "bad arguments"}
    else:
        reply["result"] = {"content": [{"type": "text", "text": params["arguments"]["text"]}]}
    print(json.dumps(reply), flush=True)
"""


@pytest.fixture
def notes():
    connection = stdio_connection(str(HERE / "notes_server.py"), timeout_s=3)
    yield connection
    connection.close()


def test_tools_are_listed_and_called(notes: MCPConnection) -> None:
    assert {tool.name for tool in notes.open()} >= {"add", "probe", "hang", "crash"}
    assert notes.call("add", {"a": 2, "b": 40}).content[0].text == "42"


def test_a_hung_tool_is_a_timeout_and_the_server_is_stopped(notes: MCPConnection) -> None:
    notes.open()
    started = time.monotonic()
    with pytest.raises(MCPError, match=r"^MCP server 'notes': no answer to tools/call hang within 3 s"):
        notes.call("hang", {})
    assert time.monotonic() - started < 15
    with pytest.raises(MCPError, match="is not running"):
        notes.call("add", {"a": 1, "b": 1})


def test_a_crash_names_the_servers_last_words(notes: MCPConnection) -> None:
    notes.open()
    with pytest.raises(MCPError) as raised:
        notes.call("crash", {})
    assert raised.value.message == ("MCP server 'notes': the server stopped during tools/call crash "
                                    "(notes: crashing on purpose)")


def test_a_malformed_answer_is_one_line(tmp_path: Path) -> None:
    script = tmp_path / "malformed.py"
    script.write_text(MALFORMED)
    connection = stdio_connection(str(script), timeout_s=5)
    with pytest.raises(MCPError) as raised:
        connection.open()
    assert raised.value.message.startswith("MCP server 'notes': ")
    assert "\n" not in raised.value.message


def test_a_server_that_does_not_start_is_one_line(tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text("import sys\nprint('cannot import mcp', file=sys.stderr)\nsys.exit(1)\n")
    with pytest.raises(MCPError, match=r"the server stopped during start \(cannot import mcp\)"):
        stdio_connection(str(script)).open()


def test_a_protocol_error_for_one_call_leaves_the_server_running(tmp_path: Path) -> None:
    script = tmp_path / "strict.py"
    script.write_text(STRICT)
    connection = stdio_connection(str(script))
    assert [tool.name for tool in connection.open()] == ["echo"]
    with pytest.raises(MCPError, match=r"^MCP server 'notes': tools/call echo failed: bad arguments$"):
        connection.call("echo", {"text": 1})
    assert connection.call("echo", {"text": "hi"}).content[0].text == "hi"
    connection.close()


def test_a_cancelled_call_returns_at_once_and_the_server_goes_on() -> None:
    notes = stdio_connection(str(HERE / "notes_server.py"), timeout_s=60)
    notes.open()
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(MCPError, match=r"^MCP server 'notes': tools/call hang was cancelled$"):
        notes.call("hang", {}, cancel)
    waited = time.monotonic() - started
    print(f"hang cancelled after {waited:.2f} s (cancel set at 1.00 s)")
    assert 1.0 <= waited < 2.0
    assert notes.call("add", {"a": 1, "b": 2}, cancel=threading.Event()).content[0].text == "3"
    notes.close()


def test_closing_with_a_call_in_flight_ends_the_call() -> None:
    notes = stdio_connection(str(HERE / "notes_server.py"), timeout_s=60)
    notes.open()
    failures: list[MCPError] = []
    caller = threading.Thread(target=lambda: _expect_failure(lambda: notes.call("hang", {}), failures))
    caller.start()
    time.sleep(1.0)
    started = time.monotonic()
    notes.close()
    caller.join(timeout=10)
    assert not caller.is_alive() and time.monotonic() - started < 10
    assert [failure.message for failure in failures] == ["MCP server 'notes': tools/call hang was cancelled"]


def _expect_failure(action, failures: list[MCPError]) -> None:  # noqa: ANN001
    try:
        action()
    except MCPError as exc:
        failures.append(exc)
