"""`victor chat [--profile P] [--plain] [--offline] [PROMPT]` (also plain `victor …`): the TUI in a
terminal, the line-mode Rich console with `--plain` or when stdin/stdout is not a TTY; PROMPT, when
given, is sent as the session's first message."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from victor.agent.approval import Approver
    from victor.session import Session


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)


def chat(
    prompt: str | None = typer.Argument(None, help="A first message to send when the session opens."),
    profile: str | None = typer.Option(None, "--profile", "-p", help="Profile to start with."),
    plain: bool = typer.Option(False, "--plain", help="Line-mode console instead of the full-screen TUI."),
    offline: bool = typer.Option(False, "--offline", help="Refuse every non-loopback connection."),
) -> None:
    """Chat with the agent in this repository."""
    from victor.paths import find_repo_root

    workspace = find_repo_root()

    def open_session(approver: Approver, resume: str | None = None) -> Session:
        from victor.session import Session

        return Session.open(workspace, profile=profile, offline=offline, approver=approver, resume=resume)

    if plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from victor.ui.console import run_console

        run_console(open_session, first_prompt=prompt)
        return
    from victor.ui.tui.app import VictorApp

    app = VictorApp(open_session, first_prompt=prompt)
    app.run()
    if app.failure is not None:
        raise app.failure
