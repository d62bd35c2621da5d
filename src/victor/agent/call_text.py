"""What the user sees of a reply from a model that writes its tool calls as text (`<tool_call>`
JSON, a fenced JSON call): streamed text is held back from where a call may begin, and dropped when a
call was parsed out of it, so the console shows the call once, as a call, not also as raw JSON."""

from __future__ import annotations

MARKERS = ("<tool_call>", "```json", '{"name"', '{"tool"')
LONGEST = max(map(len, MARKERS))


class CallText:
    def __init__(self, *, hold: bool) -> None:
        self.hold = hold  # False for native tool calls: every delta is shown as it comes
        self.text = ""
        self.shown = 0
        self.call_start: int | None = None

    def feed(self, delta: str) -> str:
        """The part of the reply that can be shown now."""
        self.text += delta
        if not self.hold:
            self.shown = len(self.text)
            return delta
        if self.call_start is None:
            found = [index for index in (self.text.find(marker, max(0, self.shown - LONGEST)) for marker in MARKERS)
                     if index >= 0]
            self.call_start = min(found) if found else None
        end = self.call_start if self.call_start is not None else max(self.shown, len(self.text) - LONGEST + 1)
        visible, self.shown = self.text[self.shown:end], max(self.shown, end)
        return visible

    def finish(self, called: bool) -> str:
        """The rest once the reply is complete: none of a call that was parsed."""
        rest = self.text[self.shown:]
        self.shown = len(self.text)
        return "" if called and self.call_start is not None else rest
