"""The circuit breaker: closed → open after N failures → half-open after the cooldown → closed."""

from __future__ import annotations

from victor.routing.health import HealthTracker


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_breaker_lifecycle() -> None:
    clock = Clock()
    health = HealthTracker(failure_threshold=3, cooldown_s=30, clock=clock)
    states = []
    for _ in range(3):
        health.record_failure("production")
        states.append(health.state("production"))
    assert states == ["closed", "closed", "open"]
    assert not health.allows("production") and health.allows("default")
    assert health.describe("production") == "'production' circuit open after 3 failures, retry in 30s"
    clock.now += 31
    assert health.state("production") == "half-open" and health.allows("production")
    health.record_failure("production")  # the trial request failed: open again for a full cooldown
    assert health.state("production") == "open" and health.retry_in("production") == 30
    clock.now += 31
    health.record_success("production")
    assert health.state("production") == "closed"
    assert health.describe("production") == "'production': circuit closed, no recent failures"


def test_success_resets_the_count() -> None:
    health = HealthTracker(failure_threshold=2)
    health.record_failure("a")
    health.record_success("a")
    health.record_failure("a")
    assert health.state("a") == "closed"
