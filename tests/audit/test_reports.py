"""`spend()` for budgets: USD over model requests since a time, per profile, across rotated files,
and kept current as the log grows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from victor.audit import open_audit_log
from victor.audit.reports import spend
from victor.config.schema import AuditConfig


def requests(settings: AuditConfig, costs: list[tuple[str, float]]) -> None:
    with open_audit_log(settings, session_id="s") as log:
        for profile, cost in costs:
            log.record("model_request", profile=profile, provider="openai", model="gpt-4o", location="cloud",
                       input_tokens=1000, output_tokens=100, cost_usd=cost)
            log.record("tool_call", profile=profile, cost_usd=100.0)  # not a model request: never counted


def test_spend_sums_model_requests_since_a_time_per_profile(settings: AuditConfig, log_file: Path) -> None:
    hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    requests(settings, [("cloud", 0.5), ("cloud", 0.25), ("other", 2.0)])

    assert spend(hour_ago, path=log_file) == pytest.approx(2.75)
    assert spend(hour_ago, profile="cloud", path=log_file) == pytest.approx(0.75)
    assert spend(datetime.now(timezone.utc) + timedelta(seconds=1), path=log_file) == 0.0


def test_spend_follows_the_log_as_it_grows_and_rotates(log_file: Path) -> None:
    settings = AuditConfig(path=str(log_file), rotate_bytes=2000)
    requests(settings, [("cloud", 1.0)] * 3)
    assert spend(datetime(2000, 1, 1, tzinfo=timezone.utc), path=log_file) == pytest.approx(3.0)
    middle = datetime.now(timezone.utc)

    requests(settings, [("cloud", 0.5)] * 6)

    assert log_file.with_name("audit.log.2").exists()
    assert spend(datetime(2000, 1, 1, tzinfo=timezone.utc), path=log_file) == pytest.approx(6.0)
    assert spend(middle, path=log_file) == pytest.approx(3.0)


def test_spend_defaults_to_the_configured_log_and_is_zero_without_one(settings: AuditConfig) -> None:
    since = datetime.now(timezone.utc) - timedelta(days=1)
    assert spend(since) == 0.0
    requests(settings, [("cloud", 0.125)])
    assert spend(since) == pytest.approx(0.125)
