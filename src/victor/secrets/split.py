"""Values split across string literals or lines, rejoined for the rules to read: adjacent quoted
literals ("…", '…', `…`) joined by an operator (`+`, `.`, `..`, `&`, `||`) or by nothing but space and newlines
(implicit concatenation), and lines continued with a backslash, inside a literal or outside one.

Each rejoined value is given with the start of its first line (`password = ` before it, less an
opening parenthesis), so that the context rules still see the name it is assigned to. Bounded: at
most 32 literals of one line each, 4,096 characters in all; a continued region spans at most 32
lines. Junctions are found over a byte mask at C speed, so code without them costs almost nothing."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

MAX_PARTS, MAX_JOINED, MAX_HEAD = 32, 4096, 256
_LITERAL = r"""(?:"(?:[^"\\\n]|\\.|\\\r?\n)+"|'(?:[^'\\\n]|\\.|\\\r?\n)+'|`(?:[^`\\\n]|\\.|\\\r?\n)+`)"""
_GAP = r"""(?:[ \t\r\n]|\\\r?\n)*"""
_JOIN = _GAP + r"""(?:(?:\+|\.\.?|&|\|\|)""" + _GAP + r""")?(?:[rbfuRBFU]{1,2}|@|\$)?"""
_CHAIN = re.compile(f"{_LITERAL}(?:{_JOIN}{_LITERAL}){{1,{MAX_PARTS - 1}}}")
_PART = re.compile(_LITERAL)
_SPLICE = re.compile(r"\\\r?\n")
# Junctions (a quote, what may join two literals, a quote) are searched for in a one-byte-per-character
# mask of the text, by a bytes regex that runs at C speed: q quote, g joining character, p prefix.
_MASK = bytes(ord("q") if chr(b) in "\"'`" else ord("g") if chr(b) in " \t\r\n\\+.&|" else ord("p")
              if chr(b) in "rbfuRBFU@$" else ord("x") for b in range(256))
_JUNCTION = re.compile(rb"qg+p{0,2}q")


@dataclass(frozen=True)
class Rejoined:
    """`text` for the rules, rejoined from original[start:end]. A chain of literals is preceded by the
    head of its first line: findings before `value_start` are the head's, not the chain's. `cuts`
    (continued lines) are the offsets in `text` where backslash-newlines were removed, and
    `removed[i]` how many characters were removed up to and including cut i."""

    start: int
    end: int
    text: str
    value_start: int = 0
    cuts: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()

    def origin(self, start: int, end: int) -> tuple[int, int] | None:
        """Where a finding at text[start:end] lies in the original, or None if it is the head's."""
        if end <= self.value_start:
            return None
        if not self.cuts:
            return self.start, self.end
        return self.start + start + self._shift(bisect_right(self.cuts, start)), self.start + end + self._shift(
            bisect_left(self.cuts, end))

    def _shift(self, cuts_before: int) -> int:
        return self.removed[cuts_before - 1] if cuts_before else 0


def rejoined_values(text: str) -> Iterator[Rejoined]:
    """Chains of adjacent literals, and regions of backslash-continued lines, each as one line."""
    yield from _continued_regions(text)
    searched = 0
    for junction in _JUNCTION.finditer(text.encode("ascii", "replace").translate(_MASK)):
        close = junction.start()  # the quote that ends the first literal; the one before it opens it
        opening = text.rfind(text[close], _line_start(text, close, MAX_JOINED), close)
        if opening < searched:
            continue
        match = _CHAIN.match(text, opening, opening + MAX_JOINED)
        if match is None:
            continue
        searched = match.end()
        quote = match.group()[0]
        value = "".join(_SPLICE.sub("", part.group()[1:-1]) for part in _PART.finditer(match.group()))
        head = text[_line_start(text, match.start()) : match.start()]
        head = head.rstrip(" \t(") + " " if head.rstrip(" \t").endswith("(") else head  # `x = ("a" "b")`
        inside = (match.start() + 1, match.end() - 1)  # from the first literal's quote to the last one's
        yield Rejoined(*inside, f"{head}{quote}{value}{quote}", value_start=len(head))


def _continued_regions(text: str) -> Iterator[Rejoined]:
    """Lines ending in a backslash with the lines they continue into, the backslash-newlines removed."""
    splice = _SPLICE.search(text)
    while splice:
        start = _line_start(text, splice.start())
        pieces: list[str] = []
        cuts: list[int] = []
        removed: list[int] = []
        position = start
        while splice and len(cuts) < MAX_PARTS and position - start < MAX_JOINED:
            pieces.append(text[position : splice.start()])
            position = splice.end()
            cuts.append(sum(map(len, pieces)))
            removed.append((removed[-1] if removed else 0) + len(splice.group()))
            line_end = _line_end(text, position)
            splice = _SPLICE.search(text, position, line_end + 1)  # the next line is continued too
        end = _line_end(text, position)
        pieces.append(text[position:end])
        yield Rejoined(start, end, "".join(pieces), cuts=tuple(cuts), removed=tuple(removed))
        splice = _SPLICE.search(text, end)


def _line_start(text: str, position: int, reach: int = MAX_HEAD) -> int:
    """Where the line holding `position` starts, looking back at most `reach` characters: on a long
    minified line, the head a rule needs is the last few words before the value."""
    floor = max(position - reach, 0)
    newline = text.rfind("\n", floor, position)
    return newline + 1 if newline >= 0 else floor


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end
