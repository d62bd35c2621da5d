"""Base64 and hex runs in a text, decoded one level, for the rules to read: a token base64-encoded in
a config or hex-encoded in a script is still a token.

Bounded so that scanning stays fast: only runs of a plausible size (24 to 8,192 characters) in the
base64 or hex alphabet are tried, a base64 run must mix both cases with digits or symbols, and the decoded
bytes must be mostly printable text. A run wrapped at a fixed width of 40 columns or more (76 as
`base64` writes it, 64 as PEM does) is joined first. What decodes is never decoded again."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

MIN_RUN, MAX_RUN = 24, 8192
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"
_MASK = bytes(ord("a") if byte in _ALPHABET else ord(" ") for byte in range(256))  # run characters → a
_NEEDLE = b"a" * MIN_RUN
_HEX = re.compile(r"(?:[0-9a-f]{2})+|(?:[0-9A-F]{2})+")
_ESCAPED_HEX = re.compile(rf"(?:\\x[0-9a-fA-F]{{2}}){{{MIN_RUN // 2},{MAX_RUN // 4}}}")  # "\\x67\\x68…"
_WRAP_WIDTH = 40  # a run this wide or wider (and a multiple of 4), with lines as wide after it, was wrapped
_NEXT_LINE = re.compile(r"\r?\n[ \t]*([A-Za-z0-9+/_\-]+)(?=={0,2}[ \t]*(?:\r?\n|$))")
_SPACE = re.compile(r"\s+")
_HAS_DIGIT_OR_SYMBOL = re.compile(r"[0-9+/_\-]")
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n\r"


@dataclass(frozen=True)
class Decoded:
    """`text` decoded from original[start:end] by `scheme` ("base64" or "hex")."""

    start: int
    end: int
    text: str
    scheme: str


def decoded_runs(text: str) -> Iterator[Decoded]:
    """Every base64 or hex run of `text` (`\\x67\\x68…` escapes too) that decodes to printable text."""
    for start, end, wrapped in _runs(text):
        run = text[start:end]
        decoded = decode(_SPACE.sub("", run) if wrapped else run)
        if decoded is not None:
            yield Decoded(start, end, *decoded)
    if "\\x" in text:
        for match in _ESCAPED_HEX.finditer(text):
            decoded = _printable(bytes.fromhex(match.group().replace("\\x", "")), "hex")
            if decoded is not None:
                yield Decoded(match.start(), match.end(), *decoded)


def _runs(text: str) -> Iterator[tuple[int, int, bool]]:
    """Spans of 24+ base64 characters (and their `=` padding), found with C-speed byte searches over a
    mask of the text; the lines of a run wrapped at a fixed width become one span (wrapped: True)."""
    mask = text.encode("ascii", "replace").translate(_MASK)  # one byte per character
    start = mask.find(_NEEDLE)
    while start >= 0:
        end = mask.find(b" ", start)
        end = len(text) if end < 0 else end
        width, wrapped = end - start, False
        wraps = width >= _WRAP_WIDTH and width % 4 == 0
        while wraps and end - start < MAX_RUN and (more := _NEXT_LINE.match(text, end)):
            if len(more.group(1)) > width:
                break
            end, wrapped = more.end(), True
            if len(more.group(1)) < width:
                break  # the last line of a wrapped run is the shorter one
        while end < len(text) and text[end] == "=" and end - start < MAX_RUN:
            end += 1
        yield start, end, wrapped
        start = mask.find(_NEEDLE, end)


def decode(run: str, shortest: int = MIN_RUN) -> tuple[str, str] | None:
    """The text `run` decodes to as hex or base64, and which, when it is mostly printable."""
    run = run.rstrip("=")
    if not shortest <= len(run) <= MAX_RUN:
        return None
    digits = run[2:] if run[:2] in ("0x", "0X") else run
    if digits.islower() or digits.isupper() or digits.isdigit():  # one case: hex, or not base64 of text
        return _printable(binascii.unhexlify(digits), "hex") if _HEX.fullmatch(digits) else None
    if len(run) % 4 == 1 or not _HAS_DIGIT_OR_SYMBOL.search(run):
        return None
    urlsafe = "-" in run or "_" in run
    if urlsafe and ("+" in run or "/" in run):
        return None
    try:
        data = (base64.urlsafe_b64decode if urlsafe else base64.b64decode)(run + "=" * (-len(run) % 4))
    except (binascii.Error, ValueError):
        return None
    return _printable(data, "base64")


def _printable(data: bytes, scheme: str) -> tuple[str, str] | None:
    """The data as text when at least 95% of it is printable ASCII and it holds a letter."""
    if len(data) < 6 or len(data.translate(None, _PRINTABLE)) * 20 > len(data):
        return None
    text = data.decode("ascii", "replace")
    return (text, scheme) if any(c.isalpha() for c in text) else None
