"""The router's decisions, table-driven: task rule × sensitivity × policy × data class × budget ×
health × offline mode. Real configuration schema, real secret scanner, real audit logs for spend."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.routing.conftest import fake_github_pat, hybrid_config, read_records, unrecorded, write_spend
from victor.audit import AuditLog
from victor.config.schema import AuditConfig
from victor.errors import PolicyDenied
from victor.routing import HealthTracker, Router, RouteRequest

ROUTINE = "refactor the parser module into smaller functions"
SECURITY = "audit this login handler for security vulnerabilities"
SECRET = f" the deploy token is {fake_github_pat()}"
PII = " the customer is jane.doe@acme.io"
SPEND = {"ok": [], "alert": [8.5], "exceeded": [6.0, 6.0]}  # against a $10 daily limit
DENIED = "DENIED"


@dataclass
class Case:
    prompt: str
    expect: str  # the profile chosen, or DENIED
    why: str = ""  # a substring of the deciding reason (or of the refusal)
    policy: str = "route_local"
    files: dict[str, str] = field(default_factory=dict)
    budget: str = "ok"
    on_exceeded: str = "switch_to_local"
    down: tuple[str, ...] = ()
    offline: bool = False
    profile: str | None = None
    task: str | None = None
    redacted: bool = False


CASES = {
    "routine task stays local": Case(ROUTINE, "default", "refactoring is a local task"),
    "security task goes to the cloud": Case(SECURITY, "production", "security_analysis is a cloud task"),
    "explicit --task overrides the prompt": Case(ROUTINE, "production", "cloud task", task="security_analysis"),
    "explicit --profile": Case(ROUTINE, "production", "requested with --profile", profile="production"),
    "secret + route_local → local": Case(SECURITY + SECRET, "default", "github-pat in prompt"),
    "secret + redact → cloud, redacted": Case(SECURITY + SECRET, "production", "redact", policy="redact",
                                               redacted=True),
    "secret + block → refused": Case(SECURITY + SECRET, DENIED, "blocks sensitive data", policy="block"),
    "secret in a file + route_local → local": Case(SECURITY, "default", "github-pat in src/settings.py",
                                                   files={"src/settings.py": f"TOKEN = '{fake_github_pat()}'"}),
    "email + route_local → local": Case(SECURITY + PII, "default", "email in prompt"),
    "email + redact → cloud, redacted": Case(SECURITY + PII, "production", "redact", policy="redact", redacted=True),
    "secret on a local task, block policy → local": Case(ROUTINE + SECRET, "default", "stays on this machine",
                                                         policy="block"),
    "secret with explicit cloud profile → local": Case(ROUTINE + SECRET, "default", "route_local",
                                                       profile="production"),
    "restricted file → local": Case(SECURITY, "default", "may not see restricted data",
                                    files={"secrets/prod.env": "DB=1"}),
    "restricted file, redact cannot declassify → local": Case(SECURITY, "default", "restricted", policy="redact",
                                                               files={"certs/server.pem": "x"}),
    "restricted file + block → refused": Case(SECURITY, DENIED, "restricted data may not go", policy="block",
                                              files={"secrets/a.txt": "x"}),
    "restricted file on a local task": Case(ROUTINE, "default", "restricted (secrets/a.txt matches 'secrets/**')",
                                            files={"secrets/a.txt": "x"}),
    "internal file → cloud": Case(SECURITY, "production", "internal (default class)", files={"src/a.py": "x = 1"}),
    "budget alert → cloud, warned": Case(SECURITY, "production", "$8.50 of $10.00 spent (alert", budget="alert"),
    "budget exceeded → local": Case(SECURITY, "default", "$12.00 of $10.00 spent (exceeded): on_exceeded",
                                    budget="exceeded"),
    "budget exceeded + block → refused": Case(SECURITY, DENIED, "$12.00 of $10.00", budget="exceeded",
                                              on_exceeded="block"),
    "budget exceeded, local task": Case(ROUTINE, "default", "local task", budget="exceeded", on_exceeded="block"),
    "cloud circuit open → fallback local": Case(SECURITY, "default", "circuit open", down=("production",)),
    "local circuit open → embedded": Case(ROUTINE, "embedded", "fallback 'embedded'", down=("default",)),
    "everything down → try anyway": Case(ROUTINE, "default", "trying it anyway", down=("default", "embedded")),
    "offline, cloud task → local": Case(SECURITY, "default", "offline mode", offline=True),
    "offline, explicit cloud profile → refused": Case(ROUTINE, DENIED, "offline mode", offline=True,
                                                      profile="production"),
    "offline + secret + redact → local": Case(SECURITY + SECRET, "default", "offline mode", offline=True,
                                              policy="redact"),
    "budget exceeded + local circuit open": Case(SECURITY, "embedded", "exceeded", budget="exceeded",
                                                 down=("default",)),
}


@pytest.fixture(scope="module")
def spend_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("spend")
    logs = {}
    for state, costs in SPEND.items():
        logs[state] = root / state / "audit.log"
        write_spend(logs[state], *costs)
    return logs


def make_router(case: Case, spend_logs: dict[str, Path], audit: AuditLog | None = None) -> Router:
    loaded = hybrid_config(policy=case.policy, on_exceeded=case.on_exceeded, offline=case.offline,
                           audit_path=spend_logs[case.budget])
    health = HealthTracker(failure_threshold=1)
    for name in case.down:
        health.record_failure(name)
    return Router(loaded, audit=audit or unrecorded(loaded), health=health)


def decide(case: Case, spend_logs: dict[str, Path], audit: AuditLog | None = None):
    request = RouteRequest(case.prompt, files=case.files, task=case.task, profile=case.profile)
    return make_router(case, spend_logs, audit).decide(request)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_decision(case: Case, spend_logs: dict[str, Path], tmp_path: Path) -> None:
    audit_path = tmp_path / "decisions.log"
    write_spend(audit_path, *SPEND[case.budget])  # the session's log is where budgets count spend
    with AuditLog(audit_path, AuditConfig(path=str(audit_path)), session_id="t") as audit:
        if case.expect == DENIED:
            with pytest.raises(PolicyDenied, match=case.why.replace("$", r"\$").replace("(", r"\(")):
                decide(case, spend_logs, audit)
            assert read_records(audit_path)[-1]["action"] == "request_blocked"
            return
        decision = decide(case, spend_logs, audit)
    assert decision.profile == case.expect, decision.reasons
    assert any(case.why in reason.detail for reason in decision.reasons), decision.reasons
    assert (decision.redactor is not None) == case.redacted
    assert decision.location == ("cloud" if case.expect == "production" else "local")
    route = [record for record in read_records(audit_path) if record["action"] == "route"]
    assert route[-1]["profile"] == case.expect and route[-1]["reasons"] == [r.as_dict() for r in decision.reasons]


# Every combination of the dimensions, checked against the guarantees rather than one by one.
DIMENSIONS = {
    "prompt": [ROUTINE, SECURITY],
    "secret": ["", SECRET, PII],
    "policy": ["route_local", "redact", "block"],
    "files": [{}, {"src/a.py": "x"}, {"secrets/k": "x"}],
    "budget": list(SPEND),
    "on_exceeded": ["switch_to_local", "block"],
    "down": [(), ("production",)],
    "offline": [False, True],
    "profile": [None, "production"],
}


def test_every_combination_keeps_the_guarantees(spend_logs: dict[str, Path]) -> None:
    counts = {"cloud": 0, "local": 0, "denied": 0, "redacted": 0}
    for values in itertools.product(*DIMENSIONS.values()):
        row = dict(zip(DIMENSIONS, values, strict=True))
        case = Case(row["prompt"] + row["secret"], "", policy=row["policy"], files=row["files"],
                    budget=row["budget"], on_exceeded=row["on_exceeded"], down=row["down"], offline=row["offline"],
                    profile=row["profile"])
        sensitive, restricted = bool(row["secret"]), "secrets/k" in row["files"]
        try:
            decision = decide(case, spend_logs)
        except PolicyDenied as denied:
            counts["denied"] += 1
            assert (row["offline"] and row["profile"]) or row["policy"] == "block" or (
                row["budget"] == "exceeded" and row["on_exceeded"] == "block"), (row, denied.message)
            continue
        counts[decision.location] += 1
        if decision.location == "cloud":
            assert not row["offline"] and not restricted and row["budget"] != "exceeded", row
            assert "production" not in row["down"] and (row["prompt"] == SECURITY or row["profile"]), row
            assert not sensitive or decision.redactor is not None, row
            counts["redacted"] += decision.redactor is not None
        else:
            assert decision.redactor is None
        assert decision.reasons[0].kind == "task" and {"sensitivity", "data_class", "health"} <= {
            reason.kind for reason in decision.reasons}
    assert all(counts.values()), counts  # every outcome occurs somewhere in the product


def test_a_cloud_profile_missing_its_key_is_passed_over_for_local(spend_logs: dict[str, Path]) -> None:
    loaded = hybrid_config(audit_path=spend_logs["ok"])
    loaded.unset_vars = {"production": [("ANTHROPIC_API_KEY", "profiles.yaml:9")]}
    decision = Router(loaded, audit=unrecorded(loaded)).decide(RouteRequest(SECURITY))
    assert decision.profile == "default"
    assert decision.reasons[2].detail == ("'production' is not usable here (profile 'production' needs environment "
                                          "variable ANTHROPIC_API_KEY, which is not set) → 'default'")


def test_a_budget_alert_reaches_the_user_through_notify(spend_logs: dict[str, Path]) -> None:
    loaded = hybrid_config(audit_path=spend_logs["alert"])
    heard: list[str] = []
    decision = Router(loaded, audit=unrecorded(loaded), notify=heard.append).decide(RouteRequest(SECURITY))
    assert decision.profile == "production"
    assert heard == ["daily budget: $8.50 of $10.00 spent (alert threshold reached)"]
