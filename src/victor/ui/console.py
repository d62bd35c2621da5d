"""The line-mode chat (`victor chat --plain`, or no TTY): a Rich REPL with the TUI's features —
streamed markdown answers, tool-call panels, approval prompts with diffs, slash commands, a status
line, multi-line input (end a line with `\\`) and readline history. Ctrl+C cancels the running turn;
a second one quits.

A turn runs in a worker thread; the main thread renders its events and answers its approval
requests from one queue, so input() and Ctrl+C stay on the main thread."""

from __future__ import annotations

import queue
import sys
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text

from victor.agent.approval import ApprovalRequest, Decision
from victor.agent.events import (
    AgentEvent,
    DoneEvent,
    ErrorEvent,
    TextEvent,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
)
from victor.errors import VictorError
from victor.ui.chat_state import ChatState, SessionOpener
from victor.ui.slash import SlashCommands

if TYPE_CHECKING:
    from victor.session import Session

ANSWERS: dict[str, Decision] = {"y": "approve", "n": "deny", "a": "always"}
Question = tuple[ApprovalRequest, Future[Decision]]  # asked by the worker, answered by the main thread
Inbox = queue.Queue[AgentEvent | Question | None]  # None: the turn's worker is done


class QueueApprover:
    """Asks from the worker thread; the main thread answers through the same queue as the events."""

    def __init__(self, inbox: Inbox, interactive: bool) -> None:
        self.inbox = inbox
        self.interactive = interactive

    def ask(self, request: ApprovalRequest) -> Decision:
        answer: Future[Decision] = Future()
        self.inbox.put((request, answer))
        return answer.result()


class ConsoleChat:
    def __init__(self, console: Console, open_session: SessionOpener) -> None:
        self.console = console
        self.open_session = open_session
        self.inbox: Inbox = queue.Queue()
        self.interactive = sys.stdin.isatty()
        if self.interactive:
            import readline  # noqa: F401 - gives input() line editing and history
        self.state = ChatState()
        self.session: Session | None = None
        self.commands: SlashCommands
        self._answer = ""
        self._live: Live | None = None
        self._quit_armed = False
        self.open(None)

    def open(self, resume: str | None) -> None:
        """Open (or reopen, for /clear and /resume) the session."""
        with self.console.status("starting session: loading profile and model…"):
            session = self.open_session(QueueApprover(self.inbox, self.interactive), resume)
        self.close()
        self.session = session
        self.commands = SlashCommands(session, self.state)
        self.commands.refresh()
        if history := len(session.conversation.messages):
            self.console.print(Text(f"resumed session {session.id} ({history} messages)", "dim"))

    def close(self) -> None:
        if self.session is not None:
            self.session.close()

    def loop(self, first_prompt: str | None = None) -> None:
        self.console.print(Text("Victor — /help lists commands, Ctrl+C cancels, Ctrl+D quits.", "dim"))
        self.print_status()
        if first_prompt:
            self.run_turn(first_prompt)
            self.print_status()
        while (line := self.read_prompt()) is not None:
            if line.startswith("/"):
                if not self.slash(line):
                    return
            elif line:
                self.run_turn(line)
                self.print_status()

    def slash(self, line: str) -> bool:
        """Run a slash command; False when it asks to quit."""
        reply = self.commands.run(line)
        if reply.action == "quit":
            return False
        if reply.action in ("clear", "resume"):
            if reply.action == "clear":
                self.console.clear()
            try:
                self.open(reply.session_id or None)
            except VictorError as exc:
                self.console.print(Text(f"✗ {exc.message}", "red"))
            self.print_status()
        elif reply.markdown:
            self.console.print(Markdown(reply.markdown), style="red" if reply.error else "")
        return True

    def read_prompt(self) -> str | None:
        """The next prompt, or None to quit: end of input, or Ctrl+C twice in a row."""
        while True:
            try:
                line = self._read_lines()
            except KeyboardInterrupt:
                if self._quit_armed:
                    self.console.print()
                    return None
                self._quit_armed = True
                self.console.print(Text("\n(Ctrl+C again quits)", "dim"))
                continue
            self._quit_armed = False
            return line

    def _read_lines(self) -> str | None:
        """One prompt; a line ending in a backslash continues on the next. None at end of input."""
        lines: list[str] = []
        try:
            while True:
                line = input("› " if not lines else "… ") if self.interactive else input()
                if not line.endswith("\\"):
                    return "\n".join([*lines, line]).strip()
                lines.append(line[:-1])
        except EOFError:
            return "\n".join(lines).strip() or None

    def run_turn(self, prompt: str) -> None:
        cancel = threading.Event()
        worker = threading.Thread(target=self._produce, args=(prompt, cancel), daemon=True)
        worker.start()
        while True:
            try:
                item = self.inbox.get(timeout=0.1)
            except queue.Empty:
                continue
            except KeyboardInterrupt:
                if cancel.is_set():
                    raise
                cancel.set()
                self.console.print(Text("cancelling… (Ctrl+C again quits)", "yellow"))
                continue
            if item is None:
                break
            self.handle(item)
        self._end_answer()
        self.commands.refresh()

    def _produce(self, prompt: str, cancel: threading.Event) -> None:
        assert self.session is not None  # turns run once the session is open
        try:
            for event in self.session.run(prompt, task=self.state.task, cancel=cancel):
                self.inbox.put(event)
        except VictorError as exc:  # shown, and the chat goes on
            self.inbox.put(ErrorEvent(type(exc).__name__, exc.message, exc.hint))
        finally:
            self.inbox.put(None)

    def handle(self, item: AgentEvent | Question) -> None:
        if isinstance(item, tuple):
            request, answer = item
            self._end_answer()
            answer.set_result(self.ask(request))
            return
        self.state.observe(item)
        self.render(item)

    def render(self, event: AgentEvent) -> None:
        if isinstance(event, TextEvent):
            self._stream(event.delta)
            return
        self._end_answer()
        if isinstance(event, ToolCallEvent):
            args = "  ".join(f"{k}={v}" for k, v in event.args.items())
            self.console.print(Text.assemble(("⚙ ", "bold"), (event.name, "bold cyan"), "  ", args[:160]))
        elif isinstance(event, ToolOutputEvent):
            self.console.print(Text(event.chunk.rstrip("\n"), "dim"))
        elif isinstance(event, ToolResultEvent):
            mark = ("✓", "green") if event.ok else ("✗", "red")
            code = f" · exit {event.exit_code}" if event.exit_code is not None else ""
            self.console.print(Text.assemble(mark, f" {event.summary}{code} · {event.duration_ms} ms"))
        elif isinstance(event, ErrorEvent):
            self.console.print(Text(f"✗ {event.message}" + (f"\n  hint: {event.hint}" if event.hint else ""), "red"))
        elif isinstance(event, DoneEvent) and event.reason == "cancelled":
            self.console.print(Text("⏹ cancelled — the session goes on", "yellow"))

    def ask(self, request: ApprovalRequest) -> Decision:
        lexer = "diff" if request.preview.startswith(("---", "diff ", "@@")) else "bash"
        body = Syntax(request.preview, lexer, word_wrap=True) if request.preview else Text("(no preview)")
        self.console.print(Panel(body, title=f"Approve {request.tool}? {request.reason}", border_style="yellow"))
        while True:
            try:
                answer = input("[y] approve  [n] deny  [a] always › ").strip().lower()[:1]
            except (EOFError, KeyboardInterrupt):
                return "deny"
            if answer in ANSWERS:
                return ANSWERS[answer]

    def _stream(self, delta: str) -> None:
        self._answer += delta
        if not self.console.is_terminal:
            self.console.file.write(delta)
            self.console.file.flush()
            return
        if self._live is None:
            self._live = Live(console=self.console, refresh_per_second=12, vertical_overflow="visible")
            self._live.start()
        self._live.update(Markdown(self._answer))

    def _end_answer(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        elif self._answer and not self._answer.endswith("\n"):
            self.console.file.write("\n")
        self._answer = ""

    def print_status(self) -> None:
        state = self.state
        parts = [Text("OFFLINE ", "bold white on red") if state.offline else Text(""),
                 Text(f"{state.location.upper()} ", "bold") if state.location else Text(""),
                 Text(f"{state.model_line()} · {state.tokens:,} tok · {state.cost_line()}"),
                 Text(f" · sandbox {state.sandbox}" if state.sandbox else "")]
        self.console.print(Text.assemble(*parts), style="dim")


def run_console(open_session: SessionOpener, first_prompt: str | None = None) -> None:
    """Run the line-mode chat until /quit, end of input or a second Ctrl+C; `first_prompt` is sent
    as soon as the session is open."""
    chat = ConsoleChat(Console(highlight=False, soft_wrap=not sys.stdout.isatty()), open_session)
    try:
        chat.loop(first_prompt)
    except KeyboardInterrupt:
        chat.console.print()
    finally:
        chat.close()
