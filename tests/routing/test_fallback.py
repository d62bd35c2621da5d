"""Fallback after a provider failure: along the profile's chain, audited (the agent loop reports it,
the router prints nothing), never to the cloud with sensitive data or offline, and feeding the
circuit breaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.routing.conftest import fake_github_pat, hybrid_config, read_records, unrecorded
from victor.audit import AuditLog
from victor.config.schema import AuditConfig
from victor.errors import ProviderError
from victor.routing import HealthTracker, Router, RouteRequest

OUTAGE = ProviderError("connection refused", retryable=True, status=503)
CLOUD_FALLBACK = {  # production → default; default → embedded → backup (a second cloud profile)
    "profiles": {
        "default": {"provider": "ollama", "model": "qwen2.5-coder:7b", "fallback": ["embedded"]},
        "embedded": {"provider": "llamacpp", "fallback": ["backup"]},
        "production": {"provider": "anthropic", "model": "claude-sonnet-4-5", "fallback": ["default"]},
        "backup": {"provider": "openai", "model": "gpt-4o", "api_key": "k"},
    },
}


@pytest.fixture
def audit(tmp_path: Path):
    path = tmp_path / "audit.log"
    with AuditLog(path, AuditConfig(path=str(path)), session_id="t") as log:
        yield log


def chain(router: Router, prompt: str, **request: object) -> list[str]:
    """The profiles a turn goes through when every one of them fails."""
    decision = router.decide(RouteRequest(prompt, **request))
    visited = [decision.profile]
    while (decision := router.fallback(decision, OUTAGE)) is not None:
        visited.append(decision.profile)
    return visited


CHAINS = [
    ("clean request walks the whole chain", {}, "refactor x", {}, ["default", "embedded", "backup"]),
    ("cloud first, then local", {}, "security audit of x", {}, ["production", "default", "embedded", "backup"]),
    ("sensitive data never falls back to the cloud", {}, f"refactor x {fake_github_pat()}", {},
     ["default", "embedded"]),
    ("offline never falls back to the cloud", {"offline": True}, "refactor x", {}, ["default", "embedded"]),
    ("restricted files never fall back to the cloud", {}, "refactor x", {"files": {"secrets/k": "x"}},
     ["default", "embedded"]),
]


@pytest.mark.parametrize(("name", "config", "prompt", "request_fields", "visited"), CHAINS, ids=[c[0] for c in CHAINS])
def test_chain(name: str, config: dict, prompt: str, request_fields: dict, visited: list[str], tmp_path: Path) -> None:
    loaded = hybrid_config(**config, audit_path=tmp_path / "spend.log", **CLOUD_FALLBACK)
    assert chain(Router(loaded, audit=unrecorded(loaded)), prompt, **request_fields) == visited


def test_fallback_is_audited_once_and_trips_the_breaker(audit: AuditLog, capsys: pytest.CaptureFixture) -> None:
    health = HealthTracker(failure_threshold=2)
    router = Router(hybrid_config(audit_path=audit.path), audit=audit, health=health)
    for _ in range(2):
        decision = router.decide(RouteRequest("security review of the auth module"))
        assert decision.profile == "production"
        fallen = router.fallback(decision, OUTAGE)
    assert fallen.profile == "default" and fallen.tried == ["production"]
    assert fallen.reasons[-1].detail == "'production' failed (HTTP 503); fell back to 'default'"
    assert capsys.readouterr().err == ""  # the agent loop's error event is the one report on the console
    record = [r for r in read_records(audit.path) if r["action"] == "fallback"][-1]
    assert (record["from_profile"], record["to_profile"], record["decision"]) == ("production", "default", "local")
    # two failures opened the breaker: the next turn goes local without trying the cloud
    assert health.state("production") == "open"
    health_reason = router.decide(RouteRequest("security review of the auth module")).reasons[-1]
    assert health_reason.kind == "health" and "circuit open" in health_reason.detail


def test_no_fallback_for_errors_a_retry_cannot_fix(audit: AuditLog) -> None:
    router = Router(hybrid_config(audit_path=audit.path), audit=audit)
    decision = router.decide(RouteRequest("security review"))
    assert router.fallback(decision, ProviderError("invalid api key", status=401)) is None
    assert router.health.state("production") == "closed"


def test_end_of_chain_is_audited(audit: AuditLog) -> None:
    router = Router(hybrid_config(audit_path=audit.path), audit=audit)
    decision = router.decide(RouteRequest("refactor x", profile="embedded"))
    assert router.fallback(decision, OUTAGE) is None
    last = read_records(audit.path)[-1]
    assert (last["action"], last["success"], last["from_profile"]) == ("fallback", False, "embedded")
