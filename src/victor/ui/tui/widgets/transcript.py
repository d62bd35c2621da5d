"""The conversation: prompts, streamed markdown answers, tool-call cards and notices, in order."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import AwaitMount, Widget
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from victor.agent.events import ApprovalEvent, ToolCallEvent, ToolOutputEvent, ToolResultEvent
from victor.ui.tui.widgets.tool_card import ToolCard


class Transcript(VerticalScroll):
    """Appends to the end and keeps the newest content in view."""

    def __init__(self, **kwargs: Any) -> None:  # VerticalScroll's keyword arguments
        super().__init__(**kwargs)
        self._stream: MarkdownStream | None = None
        self._cards: dict[str, ToolCard] = {}

    def add_prompt(self, prompt: str) -> None:
        self._append(Static(Text.assemble(("› ", "bold"), prompt), classes="prompt"))

    def add_notice(self, message: str | Text, kind: str = "info") -> None:
        self._append(Static(message, classes=f"notice {kind}", markup=False))

    def add_error(self, message: str, hint: str | None = None) -> None:
        self.add_notice(f"✗ {message}" + (f"\n  hint: {hint}" if hint else ""), "error")

    def add_markdown(self, markdown: str) -> None:
        self._append(Markdown(markdown, classes="reply"))

    async def append_answer(self, delta: str) -> None:
        """Stream a text delta into the current answer, starting one if needed."""
        if self._stream is None:
            answer = Markdown(classes="answer")
            await self._append(answer)
            self._stream = Markdown.get_stream(answer)
        await self._stream.write(delta)
        self.scroll_end(animate=False)

    async def end_answer(self) -> None:
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
            self.scroll_end(animate=False)

    async def start_tool(self, event: ToolCallEvent) -> None:
        await self.end_answer()
        card = ToolCard(event.id, event.name, event.args)
        self._cards[event.id] = card
        await self._append(card)  # composed before its output or result can arrive

    def tool_output(self, event: ToolOutputEvent) -> None:
        if card := self._cards.get(event.id):
            card.append_output(event.chunk)

    def tool_approval(self, event: ApprovalEvent) -> None:
        if card := self._cards.get(event.id):
            card.show_approval(event)

    def finish_tool(self, event: ToolResultEvent) -> None:
        if card := self._cards.get(event.id):
            card.finish(event)

    async def clear(self) -> None:
        await self.end_answer()
        self._cards.clear()
        await self.remove_children()

    def _append(self, widget: Widget) -> AwaitMount:
        mounted = self.mount(widget)
        self.scroll_end(animate=False)
        return mounted
