"""TUI fixtures: a git workspace, the real Session with a scripted provider standing in for the
model, and the app built on them. Everything else (router, tools, policy, audit) is real."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.scripted_provider import ScriptedProvider
from victor.providers.base import Event, TextDelta
from victor.ui.tui.app import VictorApp

SIZE = (120, 32)


class GatedProvider(ScriptedProvider):
    """A scripted provider that stops mid-stream, after `pause_after` events, until `gate` is set:
    a model still generating, for the cancel test."""

    def __init__(self, scripts: list[list[Event]], pause_after: int) -> None:
        super().__init__(scripts)
        self.pause_after = pause_after
        self.paused = threading.Event()
        self.gate = threading.Event()

    def stream(self, messages, tools=(), options=None) -> Iterator[Event]:  # noqa: ANN001 - as the base
        for index, event in enumerate(super().stream(messages, tools, options)):
            if index == self.pause_after:
                self.paused.set()
                self.gate.wait(timeout=10)
            yield event


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests are async: anyio's pytest plugin runs them on asyncio."""
    return "asyncio"


@pytest.fixture
def workspace(git_repo: Path) -> Path:
    (git_repo / "app.py").write_text("GREETING = 'hello'\n")
    subprocess.run(["git", "-C", str(git_repo), "add", "app.py"], check=True)
    subprocess.run(["git", "-C", str(git_repo), "commit", "-q", "-m", "start"], check=True)
    return git_repo


@pytest.fixture
def use_provider(monkeypatch: pytest.MonkeyPatch) -> Callable[[ScriptedProvider], ScriptedProvider]:
    """Make every profile build `provider`: the scripted model replaces the real one, nothing else."""

    def install(provider: ScriptedProvider) -> ScriptedProvider:
        monkeypatch.setattr("victor.routing.selector.build_provider",
                            lambda name, profile, offline, **_: _named(provider, name))
        return provider

    return install


def _named(provider: ScriptedProvider, profile: str) -> ScriptedProvider:
    provider.profile = profile
    return provider


@pytest.fixture
def make_app(workspace: Path) -> Callable[..., VictorApp]:
    """`make_app(offline=False)`: the app as `victor chat --profile embedded` builds it."""

    def build(offline: bool = False) -> VictorApp:
        def open_session(approver, resume=None):  # noqa: ANN001, ANN202 - as victor.commands.chat
            from victor.session import Session

            return Session.open(workspace, profile="embedded", offline=offline, approver=approver, resume=resume)

        return VictorApp(open_session)

    return build


def answer(*chunks: str) -> list[Event]:
    return [TextDelta(chunk) for chunk in chunks]
