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
# A name with numbers between its words (`valueForKey1`, `X509Extension`, `asn1Spec`): a run of digits
# ends a word, it is never inside one (`Tr0ub4dor` is typed, not named).
_NUMBERED_NAME = re.compile(r"^(?:[A-Z]?[a-z]++|[A-Z]+(?=[A-Z][a-z]|\d|$)|\d++(?=[A-Z]|$))++$")
_LETTER_WORD = re.compile(r"[A-Z]?[a-z]++|[A-Z]+(?=[A-Z][a-z]|\d|$)")
_VOWEL = re.compile("[aeiouyAEIOUY]")


def _is_camel_case(segment: str) -> bool:
    """Words in camel case, of the lengths words have: random mixed case (`vZrEclFwOqeA`) also splits
    into "words", but short ones, two letters on average."""
    return bool(_CAMEL_WORDS.match(segment)) and len(segment) >= 3 * len(_CAMEL_WORD.findall(segment))


def _is_numbered_name(segment: str) -> bool:
    """Camel-case words with numbers between them. Random mixed case with digits (`0TvJm15Ew8KADWTN`)
    splits so too, but into short words, many without a vowel; acronyms (`X`, `HTTP`) are not counted."""
    if not _NUMBERED_NAME.match(segment):
        return False
    words = [word for word in _LETTER_WORD.findall(segment) if not word.isupper()]
    letters = "".join(words)
    voweless = sum(1 for word in words if not _VOWEL.search(word))
    short = sum(1 for word in words if len(word) <= 2)
    return (bool(words) and len(letters) * 2 >= 7 * len(words)  # 3.5 letters a word on average
            and voweless * 4 <= len(words) and short * 4 <= len(words)
            and len(_VOWEL.findall(letters)) * 10 >= 3 * len(letters))  # 30% vowels, as words have


def is_name(segment: str) -> bool:
    """`ParameterKey1`, `AccountName`: words in camel case, numbered or not."""
    return any(c.isupper() for c in segment) and any(c.islower() for c in segment) and (
        _is_camel_case(segment) if segment.isalpha() else _is_numbered_name(segment))


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
    camel-case words, counting twice). Camel-case words numbered between them are one kind: a name."""
    chars = set(segment)
    symbols = sum(1 for c in segment if c not in _LOWER and c not in _UPPER and c not in _DIGIT)
    mixed_case = bool(chars & _LOWER and chars & _UPPER)
    if mixed_case and symbols == 0 and chars & _DIGIT and _is_numbered_name(segment):
        return 1
    classes = bool(chars & _DIGIT) + (symbols >= 2)
    if mixed_case and not _is_camel_case(segment):
        classes += 2
    elif chars & (_LOWER | _UPPER):
        classes += 1
    return classes


def _is_grouped_key(segments: list[str]) -> bool:
    """Three or more groups of 5+ characters, most of them mixing kinds of character."""
    if len(segments) < 3 or any(len(segment) < 5 for segment in segments):
        return False
    return sum(_classes(segment) >= 2 for segment in segments) * 2 > len(segments)
