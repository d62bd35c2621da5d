"""Entropy of a candidate secret, normalised by its length and alphabet, so that one threshold
fits hex, base64 and free-form passwords alike."""

from __future__ import annotations

import math
import re
from collections import Counter

_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGIT = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")


def shannon(value: str) -> float:
    """Bits per character."""
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values()) if length else 0.0


def alphabet_size(value: str) -> int:
    """The size of the smallest usual alphabet the value is drawn from (hex, alphanumerics, base64…)."""
    chars = set(value)
    if chars <= _HEX:
        return 16
    size = 0
    size += 26 if chars & _LOWER else 0
    size += 26 if chars & _UPPER else 0
    size += 10 if chars & _DIGIT else 0
    size += 32 if chars - _LOWER - _UPPER - _DIGIT else 0
    return size


_DELIMITERS = str.maketrans("", "", "-_./+=:~")


def normalised_entropy(value: str) -> float:
    """Shannon entropy over the most a string of this length and alphabet could have (0..1).
    Delimiters (`-_./+=:~`) are left out first, so one dash does not turn hex into "symbols"."""
    core = value.translate(_DELIMITERS) or value
    ceiling = math.log2(min(len(core), alphabet_size(core)))
    return shannon(core) / ceiling if ceiling > 0 else 0.0


_SEPARATORS = re.compile(r"[\-_./:=+@~,|]")
# Words in camel case or capitals (`AsyncAPIKeys`, `OAuthFlow`, `HTTP2Server`); segments are short.
# Runs are possessive (`++`): a run of lower-case letters or digits is never re-split on backtracking.
_ONE_WORD = r"[A-Z]?[a-z]++|[A-Z]+(?=[A-Z][a-z]|\d|$)|\d++"
_CAMEL_WORDS = re.compile(rf"^(?:{_ONE_WORD})++$")
_CAMEL_WORD = re.compile(_ONE_WORD)


def _is_camel_case(segment: str) -> bool:
    """Words in camel case, of the lengths words have: random mixed case (`vZrEclFwOqeA`) also splits
    into "words", but short ones, two letters on average."""
    return bool(_CAMEL_WORDS.match(segment)) and len(segment) >= 3 * len(_CAMEL_WORD.findall(segment))


def has_random_segment(value: str) -> bool:
    """True when some separator-delimited part of `value` (8+ chars) mixes character classes the way
    generated tokens do, or is mostly punctuation around some letters or digits, as typed passwords
    are, or the value is a key printed in groups (`X7K2QPA-4MZR9TB-…`); identifiers, version strings
    and hostnames are none of these."""
    symbols = sum(1 for c in value if not c.isalnum())
    if len(value) >= 8 and symbols * 2 >= len(value) and symbols < len(value) and len(set(value)) >= 6:
        return True
    segments = _SEPARATORS.split(value)
    if _is_grouped_key(segments):
        return True
    return any(len(segment) >= 8 and _classes(segment) >= 2 for segment in segments)


def _classes(segment: str) -> int:
    """How many kinds of character a segment mixes: digits, symbols, and letters (mixed case, not
    camel-case words, counting twice)."""
    chars = set(segment)
    symbols = sum(1 for c in segment if c not in _LOWER and c not in _UPPER and c not in _DIGIT)
    classes = bool(chars & _DIGIT) + (symbols >= 2)
    if chars & _LOWER and chars & _UPPER and not _is_camel_case(segment):
        classes += 2
    elif chars & (_LOWER | _UPPER):
        classes += 1
    return classes


def _is_grouped_key(segments: list[str]) -> bool:
    """Three or more groups of 5+ characters, most of them mixing kinds of character."""
    if len(segments) < 3 or any(len(segment) < 5 for segment in segments):
        return False
    return sum(_classes(segment) >= 2 for segment in segments) * 2 > len(segments)
