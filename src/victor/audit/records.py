"""Read records back: every complete line of every chain file, oldest first, with the filters
`show` offers. A torn or unreadable line is skipped here; reporting it is `verify`'s job."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from victor.audit.logfiles import chain_files
from victor.audit.since import record_time


def read_records(log: Path) -> Iterator[dict[str, Any]]:
    return read_files(chain_files(log))


def read_files(files: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for path in files:
        with path.open("rb") as stream:
            yield from parse_lines(stream)


def parse_lines(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    for raw in lines:
        if not raw.endswith(b"\n"):
            continue
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict):
            yield record


@dataclass(frozen=True)
class RecordFilter:
    session: str | None = None
    actions: tuple[str, ...] = ()
    since: datetime | None = None

    def __call__(self, record: dict[str, Any]) -> bool:
        if self.session and not str(record.get("session_id", "")).startswith(self.session):
            return False
        if self.actions and record.get("action") not in self.actions:
            return False
        if self.since:
            moment = record_time(record)
            return moment is not None and moment >= self.since
        return True
