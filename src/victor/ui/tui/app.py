"""The Victor TUI application: opens the session, runs each turn in a thread worker, forwards the
agent's events to the chat screen, answers approvals with a dialog, and owns Ctrl+C."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import App
from textual.binding import Binding

from victor.agent.events import DoneEvent, ErrorEvent
from victor.errors import VictorError
from victor.ui.chat_state import ChatState, SessionOpener
from victor.ui.slash import Reply, SlashCommands
from victor.ui.tui.approver import DialogApprover
from victor.ui.tui.dialogs.approval import ApprovalDialog
from victor.ui.tui.screens.main import AgentEventPosted, MainScreen, TurnEnded
from victor.ui.tui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:  # the session (every layer) loads in a worker, once the TUI is up
    from victor.session import Session


class VictorApp(App[None]):
    """`open_session(approver, resume)` builds a victor.session.Session, off the UI thread."""

    CSS_PATH = "victor.tcss"
    TITLE = "Victor"
    BINDINGS = [
        Binding("ctrl+c", "interrupt", "Cancel / quit", priority=True),
        Binding("ctrl+l", "clear", "Clear", show=False),
    ]

    def __init__(self, open_session: SessionOpener, first_prompt: str | None = None) -> None:
        super().__init__()
        self.first_prompt = first_prompt
        self.open_session = open_session
        self.state = ChatState()
        self.approver = DialogApprover(self)
        self.session: Session | None = None
        self.commands: SlashCommands | None = None
        self.failure: VictorError | None = None  # a session that could not open; the CLI reports it
        self._cancel: threading.Event | None = None
        self._quit_armed = False
        self._queued: str | None = None  # a prompt sent while the session was still opening

    @property
    def chat(self) -> MainScreen:
        return cast(MainScreen, self.get_screen("chat"))  # installed as "chat" on mount

    @property
    def busy(self) -> bool:
        return any(worker.group == "turn" and worker.is_running for worker in self.workers)

    async def on_mount(self) -> None:
        self.install_screen(MainScreen(self.state), "chat")
        await self.push_screen("chat")
        self.chat.activity.start("starting session: loading profile and model")
        if self.first_prompt:  # sent once the session is open, like a prompt typed while it opens
            self._queued = self.first_prompt
            self.chat.transcript.add_prompt(self.first_prompt)
        self._open()

    @work(thread=True, group="turn", exit_on_error=False)
    def _open(self, resume: str | None = None) -> None:
        try:
            session = self.open_session(self.approver, resume)
        except VictorError as exc:
            self.call_from_thread(self._open_failed, exc)
            return
        self.call_from_thread(self._opened, session)

    def _open_failed(self, error: VictorError) -> None:
        if self.session is None:  # nothing to chat with: leave, and let the CLI report it
            self.failure = error
            self.exit(return_code=error.exit_code)
            return
        self.chat.activity.stop()
        self.chat.transcript.add_error(error.message, error.hint)

    def _opened(self, session: Session) -> None:
        if self.session is not None:
            self.session.close()
        self.session = session
        self.commands = SlashCommands(session, self.state)
        self.commands.refresh()
        self.chat.activity.stop()
        self.chat.refresh_status()
        if history := len(session.conversation.messages):
            self.chat.transcript.add_notice(f"resumed session {session.id} ({history} messages)")
        if self._queued is not None:
            self.call_after_refresh(self._start_turn, self._queued)  # once the opening worker is done
            self._queued = None

    def _reopen(self, resume: str | None) -> None:
        self.chat.activity.start("opening session")
        self._open(resume)

    async def on_prompt_input_submitted(self, message: PromptInput.Submitted) -> None:
        self._quit_armed = False
        if message.text.startswith("/"):
            self._slash(message.text)
        elif self.session is None and self._queued is None:
            self._queued = message.text
            self.chat.transcript.add_prompt(message.text)
            self.notify("Sent as soon as the session is ready.")
        elif self.session is None or self.busy:
            self.notify("Victor is busy; Ctrl+C cancels the running turn.", severity="warning")
        else:
            self.chat.transcript.add_prompt(message.text)
            self._start_turn(message.text)

    def _start_turn(self, prompt: str) -> None:
        self._cancel = threading.Event()
        self._turn(prompt, self._cancel)

    @work(thread=True, group="turn", exit_on_error=False)
    def _turn(self, prompt: str, cancel: threading.Event) -> None:
        post = self.chat.post_message
        assert self.session is not None  # turns start once the session is open
        try:
            for event in self.session.run(prompt, task=self.state.task, cancel=cancel):
                post(AgentEventPosted(event))
        except VictorError as exc:  # shown in the transcript; the chat goes on
            post(AgentEventPosted(ErrorEvent(type(exc).__name__, exc.message, exc.hint)))
            post(AgentEventPosted(DoneEvent(ok=False, turns=0, reason="error")))
        post(TurnEnded())

    def on_turn_ended(self) -> None:
        """After the turn's last event: take the session's own totals."""
        assert self.commands is not None  # set with the session, before the first turn
        self.commands.refresh()
        self.chat.refresh_status()

    def _slash(self, line: str) -> None:
        if self.commands is None:
            self.notify("The session is still starting.", severity="warning")
            return
        if self.busy and not line.startswith(("/quit", "/exit", "/help", "/route", "/model")):
            self.notify("Wait for the turn to end (Ctrl+C cancels it).", severity="warning")
            return
        self.chat.transcript.add_prompt(line)
        self._show_reply(self.commands.run(line))

    def _show_reply(self, reply: Reply) -> None:
        if reply.action == "quit":
            self.exit()
        elif reply.action == "clear":
            self.action_clear()
            self._reopen(None)
        elif reply.action == "resume":
            self._reopen(reply.session_id)
        elif reply.error:
            self.chat.transcript.add_notice(reply.markdown, "error")
        else:
            self.chat.transcript.add_markdown(reply.markdown)
        self.chat.refresh_status()

    def action_clear(self) -> None:
        self.run_worker(self.chat.transcript.clear(), exclusive=False)

    def action_interrupt(self) -> None:
        """First Ctrl+C cancels the running turn (or arms quitting when idle); the next one quits."""
        if self._quit_armed:
            self.exit()
            return
        self._quit_armed = True
        if self.busy and self._cancel is not None:
            self._cancel.set()
            self.approver.deny_pending()
            if isinstance(self.screen, ApprovalDialog):
                self.screen.dismiss("deny")
            self.notify("Cancelling the turn… Ctrl+C again quits.")
        else:
            self.notify("Press Ctrl+C again to quit.")

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self.approver.deny_pending()
        if self.session is not None:
            self.session.close()
