"""Provider health: one circuit breaker per configured backend (keyed by profile name).

Closed: requests flow. After `failure_threshold` consecutive failures it opens and the router
skips that backend for `cooldown_s`; then it is half-open and lets one request try. A success
closes it; a failure while half-open opens it again for another cooldown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Breaker:
    failures: int = 0
    opened_at: float | None = None


class HealthTracker:
    """Circuit breakers for every backend this process has used."""

    def __init__(self, *, failure_threshold: int = 3, cooldown_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._breakers: dict[str, _Breaker] = {}

    def record_success(self, name: str) -> None:
        self._breakers.pop(name, None)

    def record_failure(self, name: str) -> None:
        breaker = self._breakers.setdefault(name, _Breaker())
        breaker.failures += 1
        if breaker.failures >= self.failure_threshold:
            breaker.opened_at = self._clock()

    def state(self, name: str) -> str:
        """'closed', 'open' or 'half-open'."""
        breaker = self._breakers.get(name)
        if breaker is None or breaker.opened_at is None:
            return "closed"
        return "open" if self.retry_in(name) > 0 else "half-open"

    def allows(self, name: str) -> bool:
        return self.state(name) != "open"

    def retry_in(self, name: str) -> float:
        """Seconds until an open breaker lets a request try again (0 when it would now)."""
        breaker = self._breakers.get(name)
        if breaker is None or breaker.opened_at is None:
            return 0.0
        return max(0.0, breaker.opened_at + self.cooldown_s - self._clock())

    def describe(self, name: str) -> str:
        breaker = self._breakers.get(name)
        state = self.state(name)
        if breaker is None:
            return f"'{name}': circuit closed, no recent failures"
        if state == "open":
            return f"'{name}' circuit open after {breaker.failures} failures, retry in {self.retry_in(name):.0f}s"
        return f"'{name}' {state} ({breaker.failures} recent failures)"
