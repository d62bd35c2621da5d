"""`victor tools list` and `victor tools run NAME --args JSON`: one tool call through exactly the
agent's path (confinement, approval policy, sandbox, audit), for debugging policies and for tests.
MCP tools (`mcp__<server>__<tool>`) are listed and run like the built-in ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from victor.config.approval_modes import APPROVAL_MODES

if TYPE_CHECKING:
    from victor.agent.approval import Approver
    from victor.agent.dispatch import CallOutcome
    from victor.agent.events import AgentEvent


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="List the agent's tools, or run one as the agent would.", no_args_is_help=True)
    group.command("list")(list_tools)
    group.command("run")(run_tool)
    app.add_typer(group, name="tools")


def list_tools(json_output: bool = typer.Option(False, "--json", help="The tool schemas as one JSON document.")) -> None:
    """List the tools, what they do and whether they read, write, run commands or call an MCP server
    (the configured servers are started to list theirs, then stopped)."""
    from victor.commands.mcp import started_servers
    from victor.tools.registry import all_tools
    from victor.ui.output import warn

    with started_servers(offline=False, notify=warn) as servers:
        tools = [*all_tools(), *servers.tools]
    if json_output:
        import json

        rows = [{"name": t.name, "effect": t.effect, "description": t.description, "parameters": t.parameters}
                for t in tools]
        typer.echo(json.dumps({"tools": rows}))
        return
    from rich.table import Table

    from victor.ui.output import out

    table = Table(box=None, pad_edge=False)
    for column in ("tool", "effect", "arguments", "description"):
        table.add_column(column)
    for t in tools:
        args = ", ".join(name + ("" if name in t.parameters["required"] else "?") for name in t.parameters["properties"])
        table.add_row(t.name, t.effect, args, t.description)
    out().print(table)


def run_tool(
    name: str = typer.Argument(..., help="Tool name (see `victor tools list`)."),
    args: str = typer.Option("{}", "--args", help="The arguments as a JSON object."),
    approval: str | None = typer.Option(None, "--approval", help=" | ".join(APPROVAL_MODES)),
    json_output: bool = typer.Option(False, "--json", help="Print the events and the result as JSON lines."),
) -> None:
    """Run one tool; exit 0 ok, 1 the tool failed, 2 bad arguments, 4 refused by policy."""
    from victor.commands.render import TerminalApprover, event_json, human_present
    from victor.commands.run import check_approval

    check_approval(approval)
    arguments = _parse_args(args)
    outcome, events = _run_once(name, arguments, approval, TerminalApprover() if human_present() else None)
    if json_output:
        import json

        for event in events:
            typer.echo(event_json(event))
        typer.echo(json.dumps({"type": "result", "ok": outcome.ok, "refused": outcome.refused,
                               "exit_code": outcome.exit_code, "output": outcome.content}))
    elif outcome.ok or outcome.error is None:
        typer.echo(outcome.content)
    if outcome.error is not None:
        raise outcome.error
    if not outcome.ok:
        raise typer.Exit(1)


def _parse_args(text: str) -> dict[str, Any]:
    import json

    from victor.errors import UsageError

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--args is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(value, dict):
        raise UsageError("--args must be a JSON object, e.g. '{\"path\": \"README.md\"}'")
    return value


def _run_once(name: str, arguments: dict[str, Any], approval: str | None,
              approver: Approver | None) -> tuple[CallOutcome, list[AgentEvent]]:
    import uuid

    from victor.agent.approval import NoHuman
    from victor.agent.toolbox import Toolbox
    from victor.audit import open_audit_log
    from victor.mcp.servers import only_server, unknown_tool
    from victor.mcp.tools import server_of
    from victor.paths import find_repo_root
    from victor.providers.base import ToolCall
    from victor.session import load_session_config
    from victor.tools.registry import get_tool
    from victor.tools.workspace import Workspace
    from victor.ui.output import warn

    server = server_of(name)  # an MCP tool starts its server alone; a built-in tool, none
    if server is None:
        get_tool(name)  # an unknown name is a usage error (exit 2) before anything is opened
    root = find_repo_root()
    config = only_server(load_session_config(root, approval=approval, offline=False).config, server)
    audit = open_audit_log(config.audit, session_id=f"tools-{uuid.uuid4().hex[:12]}")
    toolbox = Toolbox(config, Workspace(root, config.approvals.deny_paths), audit, approver or NoHuman(),
                      offline=config.offline_mode, notify=warn)
    events: list[AgentEvent] = []
    try:
        if name not in toolbox.runner.tools:
            raise unknown_tool(name, toolbox.mcp.states if toolbox.mcp else {})
        calls = toolbox.runner.run(ToolCall(f"call_{uuid.uuid4().hex[:8]}", name, arguments))
        while True:
            events.append(next(calls))
    except StopIteration as stop:
        return stop.value, events
    finally:
        toolbox.close()
        audit.close()
