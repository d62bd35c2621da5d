"""A tool-call card: the tool and its arguments, its live output, then its exit code and duration."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Log, Static

from victor.agent.events import ApprovalEvent, ToolResultEvent

MAX_ARG_CHARS = 160


def describe_args(args: dict[str, Any]) -> str:
    """One line: `key=value` pairs, long values cut short (content of edits is shown in the diff)."""
    parts = []
    for key, value in args.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        shown = shown.replace("\n", "⏎")
        parts.append(f"{key}={shown[:60]}…" if len(shown) > 60 else f"{key}={shown}")
    line = "  ".join(parts)
    return line if len(line) <= MAX_ARG_CHARS else line[: MAX_ARG_CHARS - 1] + "…"


class ToolCard(Vertical):
    """Shows one tool call from start to finish; the transcript feeds it events by call id."""

    def __init__(self, call_id: str, tool: str, args: dict[str, Any]) -> None:
        super().__init__(classes="tool-card running")
        self.call_id = call_id
        self.tool = tool
        self.args = args

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("⚙ ", "bold"), (self.tool, "bold cyan"), "  ", describe_args(self.args)),
                     classes="tool-title")
        yield Log(max_lines=200, classes="tool-output", auto_scroll=True)
        yield Static("running…", classes="tool-status")

    def append_output(self, chunk: str) -> None:
        output = self.query_one(".tool-output", Log)
        output.display = True
        output.write(chunk)

    def show_approval(self, event: ApprovalEvent) -> None:
        if event.decision == "deny":
            self.query_one(".tool-status", Static).update(Text(f"denied by {event.by}", "bold red"))

    def finish(self, event: ToolResultEvent) -> None:
        self.remove_class("running")
        self.add_class("ok" if event.ok else "failed")
        mark = Text("✓ ", "bold green") if event.ok else Text("✗ ", "bold red")
        details = [event.summary] if event.summary else []
        if event.exit_code is not None:
            details.append(f"exit {event.exit_code}")
        details.append(format_duration(event.duration_ms))
        self.query_one(".tool-status", Static).update(mark + Text(" · ".join(details)))


def format_duration(milliseconds: int) -> str:
    return f"{milliseconds} ms" if milliseconds < 1000 else f"{milliseconds / 1000:.1f} s"
