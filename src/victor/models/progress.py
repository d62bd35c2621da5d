"""Progress for the one slow step of an embedded model, joining or checking a gigabyte: a bar on
stderr when stderr is this process's own terminal; otherwise (CI, pipes, logs, or a full-screen UI
that has taken stderr over) one line before and one after, so a long pause is explained without
filling a log with redraws. `--json` output is on stdout and never mixed with either."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def byte_progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yields `advance(n_bytes)`."""
    if not (sys.stderr.isatty() and sys.stderr is sys.__stderr__):  # not our own terminal (a TUI captures it)
        started = time.monotonic()
        print(f"victor: {description} ({total / 1e9:.1f} GB)…", file=sys.stderr, flush=True)
        yield lambda _: None
        print(f"victor: {description}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)
