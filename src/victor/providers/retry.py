"""Retrying a model stream: exponential backoff with jitter, honouring Retry-After.

Only HTTP-level transient failures (429, 5xx: a retryable error with a status) are retried here,
and only before the stream has produced an event: once text has reached the user a retry would
repeat it. Refused connections, timeouts and cut streams go straight up for the router's fallback.
Giving up re-raises the last error with `retryable` still set, so the router can fall back too.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from victor.errors import ProviderError
from victor.providers.base import Event

MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before retry number `attempt` (0-based): the server's word, else backoff + jitter."""
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER_S)
        backoff = min(self.max_delay_s, self.base_delay_s * 2.0**attempt)
        return backoff * random.uniform(0.5, 1.0)


def retrying_stream(start: Callable[[], Iterator[Event]], policy: RetryPolicy) -> Iterator[Event]:
    """Yield the events of `start()`, starting it again after a retryable failure before any event."""
    attempt = 0
    while True:
        produced = False
        try:
            for event in start():
                produced = True
                yield event
            return
        except ProviderError as error:
            if produced or not (error.retryable and error.status) or attempt >= policy.max_retries:
                if attempt:
                    error.message = f"{error.message} (gave up after {attempt} retries)"
                    error.args = (error.message,)
                raise
            policy.sleep(policy.delay(attempt, error.retry_after))
            attempt += 1
