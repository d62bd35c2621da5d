"""Export records for a SIEM: JSON lines exactly as chained (so they stay verifiable), or CSV with
one column per field and nested values as JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

LEADING_COLUMNS = (
    "seq", "timestamp", "action", "success", "session_id", "user", "host", "victor_version",
    "provider", "model", "tool_calls", "files_accessed",
)
TRAILING_COLUMNS = ("alg", "prev_hash", "hash")


def write_jsonl(records: Iterable[dict[str, Any]], stream: TextIO) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, separators=(",", ":")) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], stream: TextIO) -> int:
    rows = list(records)
    present = {key for row in rows for key in row}
    extra = sorted(present - set(LEADING_COLUMNS) - set(TRAILING_COLUMNS))
    columns = [c for c in LEADING_COLUMNS if c in present] + extra + [c for c in TRAILING_COLUMNS if c in present]
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return len(rows)


def _cell(value: Any) -> Any:
    return json.dumps(value, separators=(",", ":")) if isinstance(value, (dict, list)) else value
