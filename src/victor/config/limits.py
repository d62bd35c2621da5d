"""Numeric limits in a profile: how each one reads as a number, which way is tighter, and the smallest
value that still means something.

A value that means "no limit" reads as infinity: a size of `0` (Docker's memory, the kernel's tmpfs
size) and an unset budget. A value under a limit's floor is refused in every profile file, never
clamped: Docker and the kernel would turn it into "no limit" (`cpus: 1e-10` is a CPU quota of 0 ns,
which Docker reads as none; a `timeout_s` that rounds to 0 disables `timeout`), reject it (memory
under 6 MiB) or leave a sandbox nothing can run in, and silently running with some other value than
the one written would hide that. Budgets have no floor: a budget of 0 means no paid request at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from victor.config.keys import KeyPath
from victor.config.schema import Config

INFINITY = float("inf")
MIB = 1 << 20

# Docker's memory grammar (docker-py `parse_bytes`) and the kernel's tmpfs `size=` grammar (memparse).
_DOCKER_SIZE = re.compile(r"^(\d+(?:\.\d+)?)(?:([kmg])b?|b)?$", re.IGNORECASE)
_KERNEL_SIZE = re.compile(r"^(\d+)([kmgt]?)$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


class BadValue(ValueError):
    """A limit's value that cannot be read; the message says what is expected."""


def _size(grammar: re.Pattern[str], example: str) -> Callable[[Any], float]:
    def read(value: Any) -> float:
        match = grammar.match(str(value).strip())
        if not match:
            raise BadValue(f"{value!r} is not a size; write a number with a unit, e.g. {example} (0 for no limit)")
        number = float(match.group(1)) * _UNITS[(match.group(2) or "").lower()]
        return INFINITY if number == 0 else number

    return read


def _number(value: Any) -> float:
    """A plain number; None (unset) means no limit."""
    return INFINITY if value is None else float(value)


@dataclass(frozen=True)
class Limit:
    """One numeric limit: its key path (`*` matches any key), how it reads, which way is tighter, the
    smallest sane finite value, and what it is called in a refusal."""

    pattern: KeyPath
    what: str
    read: Callable[[Any], float] = _number
    tighter: Literal["smaller", "larger"] = "smaller"
    floor: float = 0.0
    floor_why: str = ""

    def looser(self, before: float, after: float) -> bool:
        return after > before if self.tighter == "smaller" else after < before


_SANDBOX = "a sandbox limit"
LIMITS: list[Limit] = [
    Limit(("sandbox", "memory"), _SANDBOX, _size(_DOCKER_SIZE, "512m or 2g"), floor=6 * MIB,
          floor_why="Docker refuses a memory limit under 6 MiB"),
    Limit(("sandbox", "tmp_size"), _SANDBOX, _size(_KERNEL_SIZE, "64m or 1g"), floor=MIB,
          floor_why="/tmp and the home directory need at least 1 MiB"),
    Limit(("sandbox", "cpus"), _SANDBOX, floor=0.01,
          floor_why="Docker's smallest CPU quota is 0.01; a smaller one rounds to no quota at all"),
    Limit(("sandbox", "timeout_s"), _SANDBOX, floor=1.0,
          floor_why="a sub-second timeout kills every command, and one that rounds to 0 turns `timeout` off"),
    Limit(("sandbox", "pids_limit"), _SANDBOX),
    Limit(("sandbox", "output_limit_bytes"), _SANDBOX),
    Limit(("sandbox", "nofile_soft"), _SANDBOX),
    Limit(("sandbox", "nofile_hard"), _SANDBOX),
    Limit(("sandbox", "fsize_bytes"), _SANDBOX),
    Limit(("budgets", "daily_usd"), "a budget"),
    Limit(("budgets", "monthly_usd"), "a budget"),
    Limit(("budgets", "per_profile", "*", "daily_usd"), "a budget"),
    Limit(("budgets", "per_profile", "*", "monthly_usd"), "a budget"),
    Limit(("budgets", "alert_at"), "the budget alert threshold"),
    Limit(("audit", "rotate_bytes"), "the audit log's rotation size", tighter="larger", floor=MIB,
          floor_why="a smaller one splits the log into a file every few records"),
]


def values_at(data: Any, pattern: KeyPath, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every (concrete key path, value) in nested dicts `data` that `pattern` matches."""
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if isinstance(data, dict):
        for key in data if head == "*" else [head]:
            if key in data:
                yield from values_at(data[key], rest, (*prefix, key))


def lookup(data: Any, path: KeyPath) -> tuple[bool, Any]:
    """(True, value) at `path` in nested dicts, else (False, None)."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def insane_values(config: Config) -> Iterator[tuple[KeyPath, str]]:
    """Limits that cannot be read or sit under their floor, with what to write instead."""
    data = config.model_dump()
    for limit in LIMITS:
        for path, value in values_at(data, limit.pattern):
            try:
                number = limit.read(value)
            except BadValue as bad:
                yield path, str(bad)
                continue
            if number < limit.floor:
                yield path, f"{value!r} is below the smallest sane value, {_amount(limit.floor)} ({limit.floor_why})"


def raised_limits(old: dict[str, Any], new: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    """Limits that are looser after a layer (`new`, a dumped Config) than before it (`old`). A keyed
    entry no lower layer has (a new per-profile budget) is compared against no limit."""
    for limit in LIMITS:
        for path, value in values_at(new, limit.pattern):
            present, previous = lookup(old, path)
            was = _read_or_infinity(limit, previous if present else None)
            now = _read_or_infinity(limit, value)
            if limit.looser(was, now):
                verb = "raises" if limit.tighter == "smaller" else "lowers"
                yield path, f"{verb} {limit.what} ({_shown(previous, was)} → {_shown(value, now)})"


def _read_or_infinity(limit: Limit, value: Any) -> float:
    try:
        return limit.read(value)
    except BadValue:
        return INFINITY


def _amount(number: float) -> str:
    return f"{number / MIB:g} MiB" if number >= MIB else f"{number:g}"


def _shown(value: Any, number: float) -> str:
    if value is None:
        return "no limit"
    return f"{value} = no limit" if number == INFINITY else str(value)
