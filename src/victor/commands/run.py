"""`victor run PROMPT`: one headless agent run. Text streams to stdout, progress to stderr; `--json`
prints the event stream (shared/cli.md), one object a line, the last always `done`, also after Ctrl+C."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

import typer

from victor.config.approval_modes import APPROVAL_MODES


def register(app: typer.Typer) -> None:
    app.command("run")(run)


def run(
    prompt: str = typer.Argument(..., help="What to do."),
    profile: str | None = typer.Option(None, "--profile", "-p", help="Profile to use (default: the default profile)."),
    task: str | None = typer.Option(None, "--task", help="Task type for routing, e.g. code_review."),
    approval: str | None = typer.Option(None, "--approval", help=" | ".join(APPROVAL_MODES)),
    no_tools: bool = typer.Option(False, "--no-tools", help="A plain completion: no tools offered."),
    json_output: bool = typer.Option(False, "--json", help="Print the event stream as JSON lines."),
    offline: bool = typer.Option(False, "--offline", help="Refuse anything that would leave this machine."),
    resume: str | None = typer.Option(None, "--resume", help="Continue the session with this id."),
    continue_last: bool = typer.Option(False, "--continue", help="Continue this repository's latest session."),
    max_turns: int | None = typer.Option(None, "--max-turns", min=1, help="Stop after this many model turns."),
) -> int:
    """Run the agent on PROMPT without the TUI; exit 0 done, 1 failed, 2 usage, 4 refused by policy."""
    from victor.commands.render import ConsoleRenderer, JsonRenderer, TerminalApprover, human_present

    check_approval(approval)
    if resume and continue_last:
        from victor.errors import UsageError

        raise UsageError("--resume and --continue cannot be used together")
    renderer = JsonRenderer() if json_output else ConsoleRenderer()
    approver = TerminalApprover() if human_present() and not json_output else None
    from victor.agent.events import DoneEvent
    from victor.session import Session

    try:
        session = Session.open(profile=profile, approval=approval, offline=offline, approver=approver,
                               resume=resume, continue_last=continue_last, max_turns=max_turns, no_tools=no_tools)
    except Exception as exc:
        renderer.failed_to_start(exc)
        raise
    cancel = threading.Event()
    try:
        exit_code = 1
        with interrupt_cancels(cancel):
            for event in session.run(prompt, task=task, cancel=cancel):
                renderer.show(event)
                if isinstance(event, DoneEvent):
                    exit_code = event.exit_code
        return exit_code
    finally:
        session.close()
        sys.stdout.flush()


@contextlib.contextmanager
def interrupt_cancels(cancel: threading.Event) -> Iterator[None]:
    """The first Ctrl+C sets `cancel`: a running shell command or MCP call is stopped and the run ends
    with `done` (reason cancelled, exit 130); a second one interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def check_approval(approval: str | None) -> None:
    if approval is not None and approval not in APPROVAL_MODES:
        from victor.errors import UsageError

        raise UsageError(f"--approval must be one of {', '.join(APPROVAL_MODES)}, not '{approval}'")
