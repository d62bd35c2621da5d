"""`victor undo [--session ID]`: restore the files the last set of agent edits changed."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("undo")(undo)


def undo(
    session_id: str | None = typer.Option(None, "--session", help="Session id (default: this repository's latest)."),
) -> None:
    """Undo the last set of edits (one prompt's writes) of the latest session in this repository."""
    from victor.session import Session
    from victor.ui.output import out

    session = Session.open(resume=session_id, continue_last=session_id is None)
    try:
        restored = session.undo()
    finally:
        session.close()
    out().print(f"restored {len(restored)} file(s): " + ", ".join(restored))
