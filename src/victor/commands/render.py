"""Headless front end pieces shared by `victor run` and `victor tools run`: the JSON-lines event
renderer, the console renderer (answer on stdout, progress on stderr) and the terminal Approver."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import Any

from victor.agent.approval import ApprovalRequest, Decision
from victor.agent.events import (
    AgentEvent,
    ApprovalEvent,
    DoneEvent,
    ErrorEvent,
    RouteEvent,
    TextEvent,
    ToolCallEvent,
    ToolResultEvent,
)


def human_present() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def event_json(event: AgentEvent) -> str:
    data = event.to_dict()
    return json.dumps({"type": data.pop("type"), "ts": datetime.now(timezone.utc).isoformat(), **data}, default=str)


class JsonRenderer:
    def show(self, event: AgentEvent) -> None:
        if event.type != "tool_output":
            print(event_json(event), flush=True)

    def failed_to_start(self, exc: BaseException) -> None:
        """Keep the contract (the last line is `done`) when the session could not even open."""
        message = getattr(exc, "message", str(exc))
        self.show(ErrorEvent(type(exc).__name__, message, getattr(exc, "hint", None)))
        self.show(DoneEvent(ok=False, turns=0, reason="error", exit_code=getattr(exc, "exit_code", 1)))


class ConsoleRenderer:
    def __init__(self) -> None:
        from victor.ui.output import err

        self.err = err()
        self._mid_line = False

    def failed_to_start(self, exc: BaseException) -> None:
        pass  # cli.py prints the error

    def show(self, event: AgentEvent) -> None:
        handler = getattr(self, f"_on_{event.type}", None)
        if handler is not None:
            handler(event)

    def _on_text(self, event: TextEvent) -> None:
        sys.stdout.write(event.delta)
        sys.stdout.flush()
        self._mid_line = not event.delta.endswith("\n")

    def _note(self, markup: str) -> None:
        if self._mid_line:
            sys.stdout.write("\n")
            self._mid_line = False
        self.err.print(markup, highlight=False)

    def _on_route(self, event: RouteEvent) -> None:
        self._note(f"[dim]· {event.profile} ({event.provider} {event.model}, {event.location})[/]")

    def _on_tool_call(self, event: ToolCallEvent) -> None:
        args = ", ".join(f"{key}={_short(value)}" for key, value in event.args.items())
        self._note(f"[cyan]→ {event.name}[/]([dim]{_escape(args)}[/])")

    def _on_tool_result(self, event: ToolResultEvent) -> None:
        mark = "[green]✓[/]" if event.ok else "[red]✗[/]"
        self._note(f"  {mark} {_escape(event.summary)}")

    def _on_approval(self, event: ApprovalEvent) -> None:
        if event.decision == "deny":
            self._note(f"  [yellow]denied ({event.by})[/]")

    def _on_error(self, event: ErrorEvent) -> None:
        self._note(f"[red]{event.kind}:[/] {_escape(event.message)}" + (f" [dim]({_escape(event.hint)})[/]" if event.hint else ""))

    def _on_done(self, event: DoneEvent) -> None:
        if self._mid_line:
            sys.stdout.write("\n")
            self._mid_line = False
        if event.reason != "done":
            self._note(f"[yellow]stopped: {event.reason}[/] after {event.turns} turn(s)")


class TerminalApprover:
    """Asks on the terminal: y (approve), n (deny), a (always, this session)."""

    interactive = True

    def ask(self, request: ApprovalRequest) -> Decision:
        from rich.prompt import Prompt

        from victor.ui.output import err

        console = err()
        console.print(f"\n[bold]{request.tool}[/] {_escape(request.reason)}")
        if request.preview:
            console.print(_escape(request.preview), highlight=False)
        answer = Prompt.ask("approve? [y]es / [n]o / [a]lways", choices=["y", "n", "a"], default="n", console=console)
        decisions: dict[str, Decision] = {"y": "approve", "a": "always"}
        return decisions.get(answer, "deny")


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
