"""The approval dialog: what the agent wants to do and why, the diff of an edit or the command line
of a shell call, and three answers: y approve, n deny, a always (for this tool, this session)."""

from __future__ import annotations

from typing import cast

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from victor.agent.approval import ApprovalRequest, Decision
from victor.ui.tui.widgets.tool_card import describe_args


class ApprovalDialog(ModalScreen[Decision]):
    """Dismisses with "approve", "deny" or "always"; Escape denies."""

    BINDINGS = [
        Binding("y", "decide('approve')", "Approve"),
        Binding("n", "decide('deny')", "Deny"),
        Binding("a", "decide('always')", "Always"),
        Binding("escape", "decide('deny')", "Deny", show=False),
    ]

    def __init__(self, request: ApprovalRequest) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical(id="approval"):
            yield Static(Text.assemble(("Approve ", "bold"), (request.tool, "bold cyan"), "?"), id="approval-title")
            yield Static(Text(f"{request.reason}: {describe_args(request.args)}"), id="approval-reason")
            with VerticalScroll(id="approval-preview"):
                yield Static(self._preview())
            with Horizontal(id="approval-buttons"):
                yield Button(Text("y  Approve"), id="approve", variant="success")
                yield Button(Text("n  Deny"), id="deny", variant="error")
                yield Button(Text("a  Always"), id="always", variant="primary")

    def _preview(self) -> Syntax | Text:
        preview = self.request.preview
        if not preview:
            return Text("(nothing to preview)", style="dim")
        lexer = "diff" if preview.startswith(("---", "diff ", "@@")) else "bash"
        return Syntax(preview, lexer, theme="ansi_dark", word_wrap=True, background_color="default")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_decide(cast(Decision, event.button.id))  # the buttons' ids are the decisions

    def action_decide(self, decision: Decision) -> None:
        self.dismiss(decision)
