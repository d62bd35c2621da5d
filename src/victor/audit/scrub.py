"""Make a record's fields safe and serialisable: every string, nested too, goes through the secret
redactor; anything JSON cannot hold becomes its (redacted) string form."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any


def redactor(cache_size: int = 4096) -> Callable[[str], str]:
    """`victor.secrets.redact`, imported on first use so the audit package stays light to import.
    Field names and values such as provider, model and task repeat in every record, so results are
    memoised: the redactor is deterministic, and the cache lives in this process's memory only."""
    from victor.secrets import redact

    return lru_cache(maxsize=cache_size)(redact)


def scrub(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {redact(str(key)): scrub(item, redact) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [scrub(item, redact) for item in value]
    return redact(str(value))
