"""A one-line progress indicator for long operations: model load, first-token wait, tool runs."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.widgets import Static

if TYPE_CHECKING:
    from textual.timer import Timer

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Activity(Static):
    """Hidden when idle; `start(label)` shows a spinner, the label and the seconds elapsed."""

    def __init__(self, **kwargs: Any) -> None:  # Static's keyword arguments
        super().__init__("", **kwargs)
        self.label = ""
        self._since = 0.0
        self._frame = 0
        self._timer: Timer | None = None  # set on mount

    def on_mount(self) -> None:
        self.display = False
        self._timer = self.set_interval(0.1, self._tick, pause=True)

    def start(self, label: str) -> None:
        if self.label != label:
            self.label, self._since = label, time.monotonic()
        self.display = True
        self._tick()
        assert self._timer is not None
        self._timer.resume()

    def stop(self) -> None:
        self.label = ""
        self.display = False
        assert self._timer is not None
        self._timer.pause()

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(FRAMES)
        elapsed = time.monotonic() - self._since
        self.update(f"{FRAMES[self._frame]} {self.label} {elapsed:.0f}s  (Ctrl+C cancels)")
