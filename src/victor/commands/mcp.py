"""`victor mcp list | serve`: the MCP servers of the profiles (each started as a session would, in its
own locked-down container, then stopped), and Victor's guarded tools as a stdio MCP server. The `mcp`
SDK and docker-py are imported only inside the commands."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from victor.mcp.servers import MCPServers, ServerState
    from victor.notify import Notify


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="MCP servers from the profiles (tools named mcp__<server>__<tool>), and "
                             "`serve`: Victor's guarded tools as a stdio MCP server.", no_args_is_help=True)
    group.command("list")(list_servers)
    group.command("serve")(serve)
    app.add_typer(group, name="mcp")


def list_servers(
    offline: bool = typer.Option(False, "--offline", help="Offline mode: nothing may leave loopback."),
    json_output: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """Start each configured MCP server, show its state and tools, stop it; exit 1 if one failed."""
    from dataclasses import asdict

    with started_servers(offline) as servers:
        states = list(servers.states.values())
        descriptions = {tool.name: tool.description for tool in servers.tools}
    if json_output:
        import json

        typer.echo(json.dumps({"servers": [asdict(state) for state in states]}))
    else:
        _print(states, descriptions)
    if any(state.state == "failed" for state in states):
        raise typer.Exit(1)


def serve() -> None:
    """Serve scan_secrets, run_in_sandbox and route over stdio (for another agent's MCP client)."""
    from victor.mcp.serve import serve as serve_stdio
    from victor.paths import find_repo_root

    serve_stdio(find_repo_root())


@contextlib.contextmanager
def started_servers(offline: bool, notify: Notify | None = None) -> Iterator[MCPServers]:
    """The profiles' MCP servers, each started as a session would start it (audited), stopped at the end;
    `notify` hears of each server left out."""
    import uuid

    from victor.audit import open_audit_log
    from victor.mcp.servers import MCPServers
    from victor.paths import find_repo_root
    from victor.session import load_session_config
    from victor.tools.workspace import Workspace

    root = find_repo_root()
    config = load_session_config(root, approval=None, offline=offline).config
    audit = open_audit_log(config.audit, session_id=f"mcp-{uuid.uuid4().hex[:12]}") if config.mcp.servers else None
    workspace = Workspace(root, config.approvals.deny_paths)
    servers = MCPServers(config, root, offline=config.offline_mode, audit=audit, masked=workspace.protected_files,
                         notify=notify)
    try:
        yield servers.start()
    finally:
        servers.close()
        if audit is not None:
            audit.close()


def _print(states: list[ServerState], descriptions: dict[str, str]) -> None:
    from rich.text import Text

    from victor.ui.output import out

    if not states:
        out().print("no MCP servers configured (add them under mcp.servers in your profile)")
    colours = {"running": "green", "failed": "red", "disabled": "dim"}
    for state in states:
        line = Text.assemble((state.name, "bold"), f"  {state.transport}  ",
                             (state.state, colours.get(state.state, "")))
        if state.where:
            line.append(f"  {state.where}")
        if state.state == "running":
            line.append(f"  {len(state.offered)} of {len(state.listed)} tools offered")
        out().print(line)
        if state.detail:
            out().print(Text(f"  {state.detail}"))
        for name in state.offered:
            out().print(Text.assemble("  ", (name, "cyan"), f"  {descriptions.get(name, '')}"))
        for problem in state.problems:
            out().print(Text(f"  left out: {problem}", style="yellow"))
