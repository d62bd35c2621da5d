"""The line-mode console (`victor chat --plain`, or no TTY) and the chat command's wiring."""

from __future__ import annotations

import io
import sys

from tests.support.scripted_provider import ScriptedProvider
from tests.tui.conftest import answer
from victor.providers.base import ToolCall
from victor.ui.console import run_console


def test_plain_console_streams_answers_and_runs_slash_commands(monkeypatch, capsys, workspace, use_provider) -> None:
    shell = ToolCall("c1", "run_shell", {"command": "make clean"})
    use_provider(ScriptedProvider([answer("The answer ", "is 42."), [shell], answer("Not run.")]))
    monkeypatch.setattr(sys, "stdin", io.StringIO("what is it?\n/route\nclean \\\nup\n/cost\n/quit\n"))

    def open_session(approver, resume=None):  # noqa: ANN001, ANN202 - as victor.commands.chat
        from victor.session import Session

        return Session.open(workspace, profile="embedded", approver=approver, resume=resume)

    run_console(open_session)
    out = capsys.readouterr().out
    assert "The answer is 42." in out
    assert "Last request went LOCAL" in out and "requested with --profile" in out
    assert "run_shell" in out and "no human is present" in out  # stdin is no TTY: nobody to approve
    assert "tokens in" in out and "LOCAL" in out


def test_chat_plain_without_a_tty_runs_the_console(victor, workspace) -> None:
    done = victor("chat", "--plain", "--profile", "embedded", cwd=workspace, input="/model\n/help\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "Profile embedded" in done.stdout and "/resume" in done.stdout


def test_help_does_not_import_textual(workspace) -> None:
    import subprocess

    probe = "import sys; from victor.cli import run; run(['--help']); print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("False") and "chat" in done.stdout
