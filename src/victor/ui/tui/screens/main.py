"""The chat screen: transcript, progress line, prompt and status bar. It renders agent events and
turns the prompt's messages into turns or slash commands for the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from victor.agent.events import (
    AgentEvent,
    ApprovalEvent,
    DoneEvent,
    ErrorEvent,
    RouteEvent,
    TextEvent,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
)
from victor.ui.chat_state import ChatState
from victor.ui.tui.widgets.activity import Activity
from victor.ui.tui.widgets.prompt_input import PromptInput
from victor.ui.tui.widgets.status_bar import StatusBar
from victor.ui.tui.widgets.transcript import Transcript


class AgentEventPosted(Message):
    """An agent event, posted from the turn's worker thread."""

    def __init__(self, event: AgentEvent) -> None:
        super().__init__()
        self.event = event


class TurnEnded(Message):
    """Posted after a turn's last event; it bubbles up to the app."""


class MainScreen(Screen[None]):
    def __init__(self, state: ChatState) -> None:
        super().__init__()
        self.state = state
        self._models_used: set[str] = set()  # the first request to a model also loads it

    def compose(self) -> ComposeResult:
        yield Transcript(id="transcript")
        yield Activity(id="activity")
        yield PromptInput(id="prompt", placeholder="Ask Victor…  (/help for commands)")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_status()
        self.query_one(PromptInput).focus()

    def on_screen_suspend(self) -> None:
        """A dialog on top is the activity now: hide the spinner until it closes."""
        self.activity.display = False

    def on_screen_resume(self) -> None:
        self.activity.display = bool(self.activity.label)

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def activity(self) -> Activity:
        return self.query_one(Activity)

    def refresh_status(self) -> None:
        self.query_one(StatusBar).show(self.state)

    async def on_agent_event_posted(self, message: AgentEventPosted) -> None:
        event = message.event
        self.state.observe(event)
        await self._show_event(event)
        self.refresh_status()

    async def _show_event(self, event: AgentEvent) -> None:  # noqa: C901 - one branch per event type
        transcript = self.transcript
        if isinstance(event, RouteEvent):
            first_use = event.model not in self._models_used
            self._models_used.add(event.model)
            self.activity.start(f"{'loading' if first_use else 'waiting for'} {event.model}: first token…")
        elif isinstance(event, TextEvent):
            self.activity.stop()
            await transcript.append_answer(event.delta)
        elif isinstance(event, ToolCallEvent):
            await transcript.start_tool(event)
            self.activity.start(f"running {event.name}")
        elif isinstance(event, ToolOutputEvent):
            transcript.tool_output(event)
        elif isinstance(event, ApprovalEvent):
            transcript.tool_approval(event)
        elif isinstance(event, ToolResultEvent):
            transcript.finish_tool(event)
            self.activity.start(f"waiting for {self.state.model}: first token…")
        elif isinstance(event, ErrorEvent):
            await transcript.end_answer()
            transcript.add_error(event.message, event.hint)
        elif isinstance(event, DoneEvent):
            await self._finish(event)

    async def _finish(self, event: DoneEvent) -> None:
        self.activity.stop()
        await self.transcript.end_answer()
        if event.reason == "cancelled":
            self.transcript.add_notice("⏹ cancelled — the session goes on", "warning")
        elif event.reason not in ("done", "error"):
            self.transcript.add_notice(f"stopped: {event.reason.replace('_', ' ')}", "warning")
