"""Spend and usage from `model_request` records.

`spend()` is called by the router before each request, so it keeps a per-file index of
(time, profile, cost) that grows incrementally: rotated files are read once, and not at all when
they end before the period asked about; the live file only from where the last call stopped.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from victor import paths
from victor.audit.logfiles import chain_files, read_tail
from victor.audit.records import parse_lines
from victor.audit.since import record_time

MODEL_REQUEST = "model_request"
GROUPINGS = ("provider", "model", "task", "day")


@dataclass
class _FileIndex:
    inode: int
    offset: int = 0
    times: list[float] = field(default_factory=list)
    profiles: list[str | None] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)


_indexes: dict[Path, _FileIndex] = {}
_last_times: dict[tuple[Path, int], float] = {}


def spend(since: datetime, *, profile: str | None = None, path: Path | None = None) -> float:
    """USD spent on model requests at or after `since`, for one profile or all."""
    log = path or paths.audit_log_file()
    cutoff = since.timestamp()
    total = 0.0
    for file in chain_files(log):
        if file != log and _last_time(file) < cutoff:
            continue  # a rotated file that ends before `since`: nothing in it counts
        index = _refresh(file)
        start = bisect.bisect_left(index.times, cutoff)
        for position in range(start, len(index.times)):
            if profile is None or index.profiles[position] == profile:
                total += index.costs[position]
    return total


def _last_time(rotated: Path) -> float:
    """When a rotated (so immutable) file's last record was written; remembered per inode."""
    inode = os.stat(rotated).st_ino
    if (rotated, inode) not in _last_times:
        fd = os.open(rotated, os.O_RDONLY)
        try:
            line = read_tail(fd, os.fstat(fd).st_size).last_line
        finally:
            os.close(fd)
        moment = next((record_time(record) for record in parse_lines([line + b"\n"])), None) if line else None
        _last_times[(rotated, inode)] = moment.timestamp() if moment else float("inf")
    return _last_times[(rotated, inode)]


def _refresh(file: Path) -> _FileIndex:
    stat = os.stat(file)
    index = _indexes.get(file)
    if index is None or index.inode != stat.st_ino or stat.st_size < index.offset:
        index = _indexes[file] = _FileIndex(stat.st_ino)
    if stat.st_size == index.offset:
        return index
    with file.open("rb") as stream:
        stream.seek(index.offset)
        chunk = stream.read(stat.st_size - index.offset)
    complete = chunk[: chunk.rfind(b"\n") + 1]
    index.offset += len(complete)
    lines = (line + b"\n" for line in complete.split(b"\n")[:-1] if b'"model_request"' in line)
    for record in parse_lines(lines):
        moment = record_time(record)
        if record.get("action") == MODEL_REQUEST and moment is not None:
            position = bisect.bisect_right(index.times, moment.timestamp())
            index.times.insert(position, moment.timestamp())
            index.profiles.insert(position, record.get("profile"))
            index.costs.insert(position, _number(record.get("cost_usd")))
    return index


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


@dataclass
class Usage:
    """Totals for a set of model requests."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    local_tokens: int = 0
    cloud_tokens: int = 0
    saved_usd: float | None = None

    def add(self, record: dict[str, Any], cloud_price: Callable[[int, int], float] | None) -> None:
        tokens_in, tokens_out = int(_number(record.get("input_tokens"))), int(_number(record.get("output_tokens")))
        self.requests += 1
        self.input_tokens += tokens_in
        self.output_tokens += tokens_out
        self.cost_usd += _number(record.get("cost_usd"))
        if record.get("location") == "local":
            self.local_tokens += tokens_in + tokens_out
            if cloud_price is not None:
                self.saved_usd = (self.saved_usd or 0.0) + cloud_price(tokens_in, tokens_out)
        else:
            self.cloud_tokens += tokens_in + tokens_out

    @property
    def local_share(self) -> float | None:
        total = self.local_tokens + self.cloud_tokens
        return self.local_tokens / total if total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6), "local_tokens": self.local_tokens, "cloud_tokens": self.cloud_tokens,
            "local_share": self.local_share,
            "saved_usd": None if self.saved_usd is None else round(self.saved_usd, 6),
        }


def group_key(record: dict[str, Any], by: str) -> str:
    if by == "day":
        return str(record.get("timestamp", ""))[:10]
    return str(record.get(by) or "(none)")


def summarize(
    records: Iterable[dict[str, Any]], *, by: str | None, cloud_price: Callable[[int, int], float] | None
) -> tuple[Usage, dict[str, Usage]]:
    """The overall totals and, with `by`, totals per group, for the model requests in `records`."""
    total, groups = Usage(), dict[str, Usage]()
    if cloud_price is not None:
        total.saved_usd = 0.0
    for record in records:
        if record.get("action") != MODEL_REQUEST:
            continue
        total.add(record, cloud_price)
        if by:
            group = groups.setdefault(group_key(record, by), Usage(saved_usd=None if cloud_price is None else 0.0))
            group.add(record, cloud_price)
    return total, groups
