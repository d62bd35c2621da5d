"""Parse the `--since` values users type: an ISO date or date-time (UTC unless it says otherwise),
`today`, or an age such as `30m`, `12h`, `7d`, `2w`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from victor.errors import UsageError

_AGE = re.compile(r"(\d+)\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    now = now or datetime.now(timezone.utc)
    value = text.strip().lower()
    if value == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    age = _AGE.fullmatch(value)
    if age:
        return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since: cannot read '{text}' as a time",
            hint="use a date (2026-11-01), a date-time (2026-11-01T09:30), 'today', or an age (30m, 12h, 7d, 2w)",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def record_time(record: dict[str, Any]) -> datetime | None:
    """A record's timestamp as an aware datetime, or None if it has none readable."""
    try:
        return datetime.fromisoformat(str(record["timestamp"]))
    except (KeyError, ValueError):
        return None
