"""Shared Rich consoles for command output: stdout for results, stderr for progress and warnings."""

from __future__ import annotations

from functools import cache

from rich.console import Console
from rich.text import Text


@cache
def out() -> Console:
    return Console(highlight=False, soft_wrap=True)


@cache
def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err().print(Text.assemble(("warning: ", "yellow"), message))
