"""End to end in a real terminal: tmux runs the installed `victor` on the embedded model; the test
types like a person and reads the screen with capture-pane until the answer and the LOCAL badge show."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="needs the `local` extra"),
]

VICTOR = Path(sys.executable).with_name("victor")
PROMPT = "Reply with one short greeting."
WAIT_S = 200


class Terminal:
    """One tmux session of 120×32 running a command."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.name = f"victor-test-{uuid.uuid4().hex[:8]}"
        exports = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self._tmux("new-session", "-d", "-s", self.name, "-x", "120", "-y", "32", "-c", str(cwd), *exports,
                   *command)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        """tmux on a server of its own (-L), with no user configuration (-f)."""
        command = ["tmux", "-L", self.name, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=10).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def exited(self) -> bool:
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True, timeout=10)


def answer_lines(screen: str) -> list[str]:
    """Transcript lines after the prompt that are neither tool-card borders nor UI chrome."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if PROMPT in line) + 1
    end = next(i for i, line in enumerate(lines) if "Ask Victor" in line) - 1
    chrome = "╭│╰⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"  # tool-card borders and the progress spinner
    return [line.strip() for line in lines[start:end] if line.strip() and line.strip()[0] not in chrome]


def wait_for_answer(terminal: Terminal) -> str:
    """Wait until the turn ends (denying any approval the tiny model asks for) and return the screen."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        time.sleep(1)
        screen = terminal.screen()
        if "Approve " in screen:
            terminal.keys("n")
        elif PROMPT in screen and "Ctrl+C cancels" not in screen and answer_lines(screen):
            return screen
    raise AssertionError(f"no answer within {WAIT_S}s; the screen:\n{terminal.screen()}")


def test_victor_answers_in_a_real_terminal_on_the_embedded_model(git_repo, victor_home) -> None:
    (git_repo / "app.py").write_text("GREETING = 'hello'\n")
    env = {"VICTOR_HOME": str(victor_home), "VICTOR_PROFILE": "embedded", "TERM": "xterm-256color",
           "COLUMNS": "120", "LINES": "32"}  # the pane's size, whatever a parent process exported
    terminal = Terminal([str(VICTOR)], git_repo, env)
    try:
        deadline = time.monotonic() + 60
        while "Ask Victor" not in terminal.screen() and time.monotonic() < deadline:
            time.sleep(0.5)
        terminal.keys(PROMPT)
        terminal.keys("Enter")
        screen = wait_for_answer(terminal)
        status = next((line for line in screen.splitlines() if " LOCAL " in line), "")
        assert "embedded" in status and "sandbox" in status, screen
        terminal.keys("C-c")
        terminal.keys("C-c")
        deadline = time.monotonic() + 20
        while not terminal.exited() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert terminal.exited()
    finally:
        terminal.close()
