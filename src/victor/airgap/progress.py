"""Rich progress bars on stderr for the long steps of pack and install: bytes hashed, copied, saved."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.text import Text

COPY_CHUNK = 1 << 20


class _ForByteTasks(ProgressColumn):
    """Shows `inner` for tasks that count bytes, nothing for steps (pip) that only have a spinner."""

    def __init__(self, inner: ProgressColumn) -> None:
        super().__init__()
        self.inner = inner

    def render(self, task: Task) -> RenderableType:
        return self.inner.render(task) if task.fields.get("bytes") else Text("")


@contextmanager
def progress_bars() -> Iterator[Progress]:
    """One Progress for a whole command; each step adds its own task (bar or spinner)."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<28}"),
        BarColumn(),
        _ForByteTasks(DownloadColumn()),
        _ForByteTasks(TransferSpeedColumn()),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        yield progress


def byte_task(progress: Progress, description: str, total: int | None) -> TaskID:
    """A bar counting bytes (copied, hashed, saved)."""
    return progress.add_task(description, total=total, bytes=True)


def step_task(progress: Progress, description: str) -> TaskID:
    """A spinner for a step whose size is unknown (pip); finish it with `finish_step`."""
    return progress.add_task(description, total=None)


def finish_step(progress: Progress, task: TaskID, description: str) -> None:
    progress.update(task, description=description, total=1, completed=1)


def copy_file(progress: Progress, source: Path, target: Path, description: str) -> None:
    """Copy `source` to `target` in chunks, advancing a bar; the target's directory is created."""
    target.parent.mkdir(parents=True, exist_ok=True)
    task = byte_task(progress, description, source.stat().st_size)
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(COPY_CHUNK):
            writer.write(chunk)
            progress.advance(task, len(chunk))
    shutil.copystat(source, target)
