"""Key paths into a profile file, such as `("profiles", "claude", "base_url")`: the type, a tighten
finding built on it, and the one test of whether two paths overlap. Imports nothing, so the light
modules (`urls.py`) may use it too."""

from __future__ import annotations

KeyPath = tuple[str, ...]
# A looser setting found by the tighten-only rule: the key paths that decided it, most specific first,
# and the reason.
Finding = tuple[tuple[KeyPath, ...], str]


def overlaps(path: KeyPath, other: KeyPath) -> bool:
    """True when one path holds the other: the same key, a part of it, or a value holding it."""
    return path[: len(other)] == other or other[: len(path)] == path
