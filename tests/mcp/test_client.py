"""The MCP connection against real servers on this machine's stdio (no container needed here): the
notes server, and a raw JSON-RPC script that answers nonsense. A hang, a crash and a malformed answer
are each one MCPError line, and a broken server then fails fast."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pytest

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


def connect(*args: str, timeout_s: float = 20) -> MCPConnection:
    from mcp import StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=sys.executable, args=list(args))
    stderr = tempfile.TemporaryFile()
    return MCPConnection("notes", lambda: stdio_client(params, errlog=stderr), timeout_s=timeout_s, stderr=stderr)


@pytest.fixture
def notes():
    connection = connect(str(HERE / "notes_server.py"), timeout_s=3)
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
    connection = connect(str(script), timeout_s=5)
    with pytest.raises(MCPError) as raised:
        connection.open()
    assert raised.value.message.startswith("MCP server 'notes': ")
    assert "\n" not in raised.value.message


def test_a_server_that_does_not_start_is_one_line(tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text("import sys\nprint('cannot import mcp', file=sys.stderr)\nsys.exit(1)\n")
    with pytest.raises(MCPError, match=r"the server stopped during start \(cannot import mcp\)"):
        connect(str(script)).open()
