"""What a command's output becomes before anyone sees it: capped at a byte budget, decoded, and
stripped of terminal escape sequences (a command must not be able to repaint the user's terminal)."""

from __future__ import annotations

import re
from collections.abc import Callable

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other ESC sequences (ESC c, ESC ( B, ...), C1 CSI (U+009B ...),
# and the remaining C0 and C1 controls except tab and newline.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def strip_escapes(text: str) -> str:
    """`text` without terminal escape sequences or control characters (tabs and newlines stay)."""
    return _ESCAPES.sub("", text.replace("\r\n", "\n"))


class CappedOutput:
    """Collects output up to `limit` bytes; forwards each cleaned chunk to `on_output` as it arrives."""

    def __init__(self, limit: int, on_output: Callable[[str], None] | None = None) -> None:
        self.limit = limit
        self.on_output = on_output
        self.truncated = False
        self._chunks: list[bytes] = []
        self._size = 0
        self._pending = b""  # an incomplete UTF-8 sequence held back for the next chunk

    def add(self, data: bytes) -> None:
        room = self.limit - self._size
        if len(data) > room:
            data, self.truncated = data[:room], True
        if not data:
            return
        self._chunks.append(data)
        self._size += len(data)
        if self.on_output:
            data, self._pending = self._pending + data, b""
            cut = _complete_utf8_prefix(data)
            data, self._pending = data[:cut], data[cut:]
            self.on_output(strip_escapes(data.decode("utf-8", "replace")))

    def text(self) -> str:
        output = strip_escapes(b"".join(self._chunks).decode("utf-8", "replace"))
        if self.truncated:
            output += f"\n[victor: output truncated at {self.limit} bytes]"
        return output


def _complete_utf8_prefix(data: bytes) -> int:
    """Length of `data` without a trailing, still incomplete UTF-8 sequence."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte or ASCII
            needed = 1 if byte < 0x80 else 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4
            return len(data) if needed <= back else len(data) - back
    return len(data)
