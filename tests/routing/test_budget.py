"""Budgets against real `model_request` records: global and per-profile, daily and monthly,
alert threshold, and the day boundary."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.routing.conftest import write_spend
from victor.audit import AuditLog
from victor.config.schema import AuditConfig, BudgetConfig
from victor.routing.budget import check_budget

NOW = datetime.now().astimezone()
TOMORROW = NOW.replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=1)
SPEND = {"production": [3.0, 3.0], "other": [2.0]}  # $8 in all today, $6 of it on production

CASES = [
    ("no limits", {}, NOW, "ok", "no budget limits set"),
    ("global daily under the alert line", {"daily_usd": 20}, NOW, "ok", "daily budget: $8.00 of $20.00 spent"),
    ("global daily at the alert line", {"daily_usd": 10}, NOW, "alert",
     "daily budget: $8.00 of $10.00 spent (alert threshold reached)"),
    ("global daily exceeded", {"daily_usd": 8}, NOW, "exceeded", "daily budget: $8.00 of $8.00 spent (exceeded)"),
    ("a zero budget allows no paid request", {"daily_usd": 0}, NOW, "exceeded", "$8.00 of $0.00 spent (exceeded)"),
    ("monthly exceeded", {"monthly_usd": 7.5}, NOW, "exceeded", "monthly budget: $8.00 of $7.50 spent (exceeded)"),
    ("per profile counts that profile only", {"per_profile": {"production": {"daily_usd": 5}}}, NOW, "exceeded",
     "daily budget for 'production': $6.00 of $5.00 spent (exceeded)"),
    ("another profile's limit does not apply", {"per_profile": {"other": {"daily_usd": 1}}}, NOW, "ok",
     "no budget limits set"),
    ("a new day starts from zero", {"daily_usd": 8}, TOMORROW, "ok", "daily budget: $0.00 of $8.00 spent"),
    ("lower alert line", {"daily_usd": 20, "alert_at": 0.4}, NOW, "alert", "alert threshold reached"),
]


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory: pytest.TempPathFactory) -> AuditLog:
    path = tmp_path_factory.mktemp("budget") / "audit.log"
    for profile, costs in SPEND.items():
        write_spend(path, *costs, profile=profile)
    return AuditLog(path, AuditConfig(path=str(path)), session_id="budget")


@pytest.mark.parametrize(("name", "limits", "now", "state", "described"), CASES, ids=[case[0] for case in CASES])
def test_budget(name: str, limits: dict, now: datetime, state: str, described: str, audit_log: AuditLog) -> None:
    status = check_budget(BudgetConfig.model_validate(limits), "production", now=now, audit=audit_log)
    assert status.state == state
    assert described in status.describe()
