"""Routing fixtures: a hybrid configuration built in memory, real audit logs with spend in them,
and secrets made at test time (format-valid, never real)."""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Any

import pytest

from victor.audit import AuditLog
from victor.config import LoadedConfig
from victor.config.schema import AuditConfig, Config


def fake_github_pat(seed: int = 7) -> str:
    """A token in GitHub's classic PAT format (ghp_ + 36 alphanumerics), random, never real."""
    rng = random.Random(seed)
    return "ghp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=36))


def hybrid_config(*, policy: str = "route_local", on_exceeded: str = "switch_to_local", offline: bool = False,
                  audit_path: Path | None = None, **extra: Any) -> LoadedConfig:
    """Local `default` (Ollama) → `embedded`; cloud `production` (Anthropic) → `default`; security,
    production and architecture work go to the cloud; $10 a day; restricted files stay local."""
    data: dict[str, Any] = {
        "default_profile": "default",
        "offline_mode": offline,
        "profiles": {
            "default": {"provider": "ollama", "model": "qwen2.5-coder:7b", "fallback": ["embedded"]},
            "embedded": {"provider": "llamacpp"},
            "production": {"provider": "anthropic", "model": "claude-sonnet-4-5", "api_key": "test-key",
                           "sensitive_data": policy, "fallback": ["default"]},
        },
        "routing": {"local_profile": "default", "cloud_profile": "production",
                    "local_tasks": ["code_review", "test_generation", "documentation", "refactoring", "general"],
                    "cloud_tasks": ["architecture_decisions", "production_debugging", "security_analysis"]},
        "budgets": {"daily_usd": 10, "monthly_usd": 200, "alert_at": 0.8, "on_exceeded": on_exceeded},
        "data_classes": {"default": "internal",
                         "restricted": {"paths": ["secrets/**", "*.pem"], "providers": ["ollama", "llamacpp"]}},
        "audit": {"path": str(audit_path) if audit_path else None},
    }
    data.update(extra)
    return LoadedConfig(config=Config.model_validate(data), sources=["<test>"])


def write_spend(path: Path, *usd: float, profile: str = "production") -> None:
    """Real `model_request` records, as the agent loop writes them after a paid request."""
    with AuditLog(path, AuditConfig(path=str(path)), session_id="spend-fixture") as log:
        for cost in usd:
            log.record("model_request", profile=profile, provider="anthropic", model="claude-sonnet-4-5",
                       input_tokens=1000, output_tokens=500, cost_usd=cost)


def unrecorded(loaded: LoadedConfig) -> AuditLog:
    """The configured audit log recording nothing (as with `audit.enabled: false`): budgets still
    count the spend already in it."""
    return AuditLog(None, loaded.config.audit, session_id="unrecorded")


def read_records(path: Path) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def pat() -> str:
    return fake_github_pat()
