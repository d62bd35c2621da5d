"""The session's MCP servers: start every enabled one (a stdio server in its own locked-down container,
an HTTP server only where the egress rules allow: offline, on loopback or a trusted host), list and
select its tools, call them with the call and a summary of its result in the audit log, and stop them
all at the end. A server that cannot start, or fails later, is reported in one line and left out; the
session goes on without it."""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from victor.audit.sink import AuditSink
from victor.config.schema import Config, MCPServerConfig
from victor.errors import MCPError, VictorError
from victor.notify import Notify
from victor.tools.base import Tool, ToolResult

if TYPE_CHECKING:
    from docker import DockerClient

    from victor.mcp.client import MCPConnection
    from victor.mcp.container import ServerContainer


@dataclass
class ServerState:
    name: str
    transport: str  # "stdio" or "http"
    state: str  # "running", "disabled", "failed", "stopped"
    where: str = ""  # its container, or its URL
    detail: str = ""  # why it failed
    listed: list[str] = field(default_factory=list)  # every tool the server has
    offered: list[str] = field(default_factory=list)  # the Victor names of those offered to the model
    problems: list[str] = field(default_factory=list)  # tools left out, and why


class MCPServers:
    def __init__(self, config: Config, workspace: Path, *, offline: bool, audit: AuditSink | None = None,
                 masked: Callable[[], Sequence[str]] = tuple, notify: Notify | None = None) -> None:
        self.config, self.workspace, self.offline, self.audit = config, workspace.resolve(), offline, audit
        self._notify = notify
        self._masked = masked
        self.states: dict[str, ServerState] = {}
        self.tools: list[Tool] = []
        self._connections: dict[str, MCPConnection] = {}
        self._containers: list[ServerContainer] = []
        self._client: DockerClient | None = None

    def start(self) -> MCPServers:
        for name, server in self.config.mcp.servers.items():
            state = ServerState(name, "http" if server.url else "stdio", "disabled" if not server.enabled else "")
            self.states[name] = state
            if server.enabled:
                self._start(name, server, state)
        return self

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        for container in self._containers:
            container.close()
        self._connections.clear()
        self._containers.clear()

    def _start(self, name: str, server: MCPServerConfig, state: ServerState) -> None:
        from victor.mcp.tools import select_tools

        try:
            connection = self._connect(name, server, state)
            listing = connection.open()
        except VictorError as exc:
            state.state, state.detail = "failed", exc.message.removeprefix(f"MCP server '{name}': ")
            self._record("mcp_server", False, server=name, state="failed", reason=state.detail)
            if self._notify is not None:
                self._notify(f"MCP server '{name}' is left out of this session: {state.detail}")
            return
        self._connections[name] = connection
        tools, state.problems = select_tools(name, server, listing, lambda *call: self._call(name, *call))
        state.state, state.listed, state.offered = "running", [tool.name for tool in listing], [t.name for t in tools]
        self.tools.extend(tools)
        self._record("mcp_server", True, server=name, state="running", where=state.where, offered=state.offered)

    def _connect(self, name: str, server: MCPServerConfig, state: ServerState) -> MCPConnection:
        from victor.mcp.client import MCPConnection

        if server.url:
            state.where = server.url
            transport = _http_transport(name, server.url, offline=self.offline,
                                        trusted=self.config.network.trusted_hosts)
            return MCPConnection(name, transport, timeout_s=server.timeout_s)
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        from victor.mcp.container import ServerContainer

        container = ServerContainer(self._docker(), name, server, self.config.sandbox, self.workspace,
                                    offline=self.offline, masked=self._masked())
        self._containers.append(container)
        state.where = container.describe()
        program, args, env = container.exec_command()
        params = StdioServerParameters(command=program, args=args, env=env)
        stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the connection
        errlog = cast(TextIO, stderr)  # the server process's stderr: only its file descriptor is used
        return MCPConnection(name, lambda: stdio_client(params, errlog=errlog), timeout_s=server.timeout_s,
                             stderr=stderr)

    def _docker(self) -> DockerClient:
        if self._client is None:
            from victor.sandbox.engine import connect

            self._client = connect()
        return self._client

    def _call(self, server: str, tool: str, args: dict[str, Any], cancel: threading.Event) -> ToolResult:
        from victor.mcp.tools import result_text
        from victor.secrets import redact

        connection = self._connections[server]
        try:
            result = connection.call(tool, args, cancel)
        except MCPError as exc:
            if connection.broken is not None:
                self.states[server].state, self.states[server].detail = "failed", exc.message
            self._record("mcp_call", False, server=server, tool=tool, error=exc.message)
            raise
        text, ok = result_text(result)
        first = (text.strip().splitlines() or [""])[0][:200]
        self._record("mcp_call", ok, server=server, tool=tool, result_chars=len(text),
                     result_sha256=hashlib.sha256(text.encode()).hexdigest(), result=redact(first))
        return ToolResult(text, ok=ok, summary=redact(first) or ("error" if not ok else "done"))

    def _record(self, action: str, success: bool, **fields: Any) -> None:
        if self.audit is not None:
            self.audit.record(action, success=success, **fields)


def only_server(config: Config, name: str | None) -> Config:
    """`config` with MCP server `name` alone (none for None): what one `victor tools run` call needs."""
    from victor.config.schema import MCPConfig

    servers = {key: value for key, value in config.mcp.servers.items() if key == name}
    return config.model_copy(update={"mcp": MCPConfig(servers=servers)})


def unknown_tool(name: str, states: dict[str, ServerState]) -> VictorError:
    """Why `name` (mcp__<server>__<tool>) is no tool of the servers in `states`, as the error to raise."""
    from victor.mcp.tools import server_of
    from victor.tools.base import ToolArgumentError

    server = server_of(name)
    state = states.get(server or "")
    if state is None:
        return ToolArgumentError(f"unknown tool '{name}': no MCP server '{server}' in the profiles",
                                 hint="`victor mcp list` shows the configured servers and their tools")
    if state.state == "failed":
        return MCPError(f"MCP server '{server}' did not start: {state.detail}",
                        hint="see `victor mcp list` and `victor doctor`")
    if state.state == "disabled":
        return ToolArgumentError(f"unknown tool '{name}': MCP server '{server}' is disabled",
                                 hint=f"set mcp.servers.{server}.enabled: true in your profile")
    return ToolArgumentError(f"unknown tool '{name}': MCP server '{server}' offers "
                             f"{', '.join(state.offered) or 'no tools'}",
                             hint=state.problems[0] if state.problems else "see `victor mcp list`")


def _http_transport(name: str, url: str, *, offline: bool, trusted: list[str]) -> Callable[[], Any]:
    """The SDK's streamable-HTTP client; offline, only a URL on loopback or a `network.trusted_hosts` host
    (the egress guard refuses the rest)."""
    from victor.config.urls import is_inside_url

    if offline and not is_inside_url(url, trusted):
        raise MCPError(f"MCP server '{name}': offline mode allows only a url on loopback or in "
                       f"network.trusted_hosts, not {url}",
                       hint="run the server on this machine or a host in network.trusted_hosts, or turn offline "
                            "mode off")

    def open_transport() -> Any:
        from mcp.client.streamable_http import streamable_http_client

        return streamable_http_client(url)

    return open_transport
