"""The status bar: profile and model, the LOCAL / CLOUD route badge (reasons in its tooltip), tokens,
cost today against budget, sandbox state, and an OFFLINE indicator."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from victor.ui.chat_state import ChatState


class StatusBar(Horizontal):
    """Renders a ChatState; call `show(state)` whenever it changes."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-offline", classes="badge offline")
        yield Static(id="status-route", classes="badge")
        yield Static(id="status-model")
        yield Static(id="status-tokens")
        yield Static(id="status-cost")
        yield Static(id="status-sandbox")

    def show(self, state: ChatState) -> None:
        offline = self.query_one("#status-offline", Static)
        offline.update("OFFLINE")
        offline.display = state.offline
        route = self.query_one("#status-route", Static)
        route.update(state.location.upper() or "—")
        route.set_class(state.location == "local", "local")
        route.set_class(state.location == "cloud", "cloud")
        route.tooltip = "\n".join(state.route_reasons) or "no request routed yet"
        self.query_one("#status-model", Static).update(state.model_line())
        self.query_one("#status-tokens", Static).update(f"{state.tokens:,} tok")
        self.query_one("#status-cost", Static).update(state.cost_line())
        self.query_one("#status-sandbox", Static).update(f"sandbox {state.sandbox}" if state.sandbox else "")
