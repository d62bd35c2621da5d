"""Backoff arithmetic and Retry-After parsing (the HTTP tests exercise the loop end to end)."""

from __future__ import annotations

import email.utils
import time

from victor.providers.failures import parse_retry_after, status_error
from victor.providers.retry import MAX_RETRY_AFTER_S, RetryPolicy


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=5.0)

    for attempt, ceiling in [(0, 1.0), (1, 2.0), (2, 4.0), (5, 5.0)]:
        delays = {policy.delay(attempt, None) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1


def test_retry_after_is_honoured_but_bounded() -> None:
    policy = RetryPolicy()

    assert policy.delay(0, 12.0) == 12.0
    assert policy.delay(0, 10_000.0) == MAX_RETRY_AFTER_S


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= parse_retry_after({"retry-after": later}) <= 31
    assert parse_retry_after({}) is None


def test_status_errors_say_what_to_do() -> None:
    assert "OPENAI_API_KEY" in status_error("openai", 403, "forbidden").hint
    assert not status_error("openai", 404, "no such model").retryable
    busy = status_error("anthropic", 529, "Overloaded", retry_after=2.0)
    assert busy.retryable and busy.retry_after == 2.0 and busy.status == 529
