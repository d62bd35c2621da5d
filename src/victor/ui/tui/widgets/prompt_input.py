"""The multi-line prompt: Enter sends, Ctrl+J / Shift+Enter / Alt+Enter add a line, Up and Down
at the first or last line walk the history of sent prompts."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class PromptInput(TextArea):
    """A TextArea that posts `PromptInput.Submitted` on Enter and remembers what was sent."""

    BINDINGS = [Binding("ctrl+j,shift+enter,alt+enter", "newline", "New line", show=False)]

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: Any) -> None:  # TextArea's keyword arguments
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.sent: list[str] = []
        self._recall: int | None = None  # index into history while walking it

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit()
            return
        await super()._on_key(event)

    def submit(self) -> None:
        text = self.text.strip()
        if not text:
            return
        if not self.sent or self.sent[-1] != text:
            self.sent.append(text)
        self._recall = None
        self.clear()
        self.post_message(self.Submitted(text))

    def action_newline(self) -> None:
        self.insert("\n")

    def action_cursor_up(self, select: bool = False) -> None:
        if select or not self.cursor_at_first_line or not self.sent:
            super().action_cursor_up(select)
            return
        self._recall = len(self.sent) - 1 if self._recall is None else max(self._recall - 1, 0)
        self._show(self.sent[self._recall])

    def action_cursor_down(self, select: bool = False) -> None:
        if select or not self.cursor_at_last_line or self._recall is None:
            super().action_cursor_down(select)
            return
        self._recall += 1
        if self._recall >= len(self.sent):
            self._recall = None
            self._show("")
        else:
            self._show(self.sent[self._recall])

    def _show(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)
