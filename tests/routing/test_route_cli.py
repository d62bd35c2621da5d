"""`victor route` end to end, in a subprocess like a user runs it: the secret demo, offline mode's
refusal (exit 4), the budget switch, data classes from --file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.routing.conftest import fake_github_pat, read_records, write_spend

HYBRID = """
default_profile: default
profiles:
  default: {provider: ollama, model: "qwen2.5-coder:7b", fallback: [embedded]}
  production:
    provider: anthropic
    model: claude-sonnet-4-5
    api_key: test-key
    sensitive_data: route_local
    fallback: [default]
routing:
  local_profile: default
  cloud_profile: production
  local_tasks: [refactoring, documentation]
  cloud_tasks: [general, security_analysis, production_debugging, architecture_decisions]
budgets: {daily_usd: 10, monthly_usd: 200, on_exceeded: switch_to_local}
data_classes:
  restricted: {paths: ["secrets/**", "*.pem"], providers: [ollama, llamacpp]}
"""


@pytest.fixture
def hybrid(victor_home: Path) -> Path:
    (victor_home / "profiles.yaml").write_text(HYBRID)
    return victor_home


def test_a_secret_keeps_the_request_local(hybrid: Path, victor) -> None:
    token = fake_github_pat()
    done = victor("route", f"fix this: token {token}", "--json")
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert (decision["profile"], decision["location"], decision["task"]) == ("default", "local", "general")
    assert decision["findings"] == [{"type": "github-pat", "category": "secret", "where": "prompt", "count": 1}]
    assert {"kind": "sensitivity", "detail": "github-pat in prompt: 'production' policy route_local keeps it on this "
            "machine → 'default'"} in decision["reasons"]
    log = (hybrid / "audit" / "audit.log").read_text()
    assert token not in done.stdout + done.stderr + log
    assert [r["action"] for r in read_records(hybrid / "audit" / "audit.log")] == ["secret_detected", "route"]


def test_without_the_secret_it_goes_to_the_cloud(hybrid: Path, victor) -> None:
    done = victor("route", "fix this: the parser", "--json")
    assert json.loads(done.stdout)["location"] == "cloud", done.stderr


def test_offline_mode_refuses_a_cloud_profile(hybrid: Path, victor) -> None:
    (hybrid / "profiles.yaml").write_text(HYBRID + "offline_mode: true\n")
    done = victor("route", "explain this function", "--profile", "production")
    assert done.returncode == 4
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "victor: error: offline mode: profile 'production' (anthropic) would send the request off this machine",
        "  hint: use a local profile (--profile default), or turn offline mode off (offline_mode: false, "
        "VICTOR_OFFLINE unset)",
    ]
    assert read_records(hybrid / "audit" / "audit.log")[-1]["action"] == "request_blocked"


def test_over_budget_goes_local_and_says_why(hybrid: Path, victor) -> None:
    write_spend(hybrid / "audit" / "audit.log", 7.5, 4.5)
    done = victor("route", "is this handler vulnerable to sql injection?")
    assert done.returncode == 0, done.stderr
    lines = [" ".join(line.split()) for line in done.stdout.splitlines()]
    assert lines[0] == "→ local default (ollama qwen2.5-coder:7b) task: security_analysis"
    assert "budget daily budget: $12.00 of $10.00 spent (exceeded): on_exceeded switch_to_local → 'default'" in lines
    exceeded = [r for r in read_records(hybrid / "audit" / "audit.log") if r["action"] == "budget_exceeded"]
    assert exceeded[0]["spent_usd"] == 12.0 and exceeded[0]["limit_usd"] == 10


def test_a_restricted_file_stays_local(hybrid: Path, git_repo: Path, victor) -> None:
    (git_repo / "secrets").mkdir()
    (git_repo / "secrets" / "db.yaml").write_text("host: db\n")
    done = victor("route", "why is the connection slow?", "--file", "secrets/db.yaml", "--json", cwd=git_repo)
    decision = json.loads(done.stdout)
    assert (decision["location"], decision["data_class"]) == ("local", "restricted"), done.stderr
    assert {"kind": "data_class", "detail": "'production' (anthropic) may not see restricted data → 'default'"} in \
        decision["reasons"]


def test_a_missing_file_is_a_usage_error(hybrid: Path, victor, tmp_path: Path) -> None:
    done = victor("route", "x", "--file", str(tmp_path / "nope.py"))
    missing = tmp_path / "nope.py"
    assert done.returncode == 2 and done.stderr.startswith(f"victor: error: --file {missing}: no such file")
