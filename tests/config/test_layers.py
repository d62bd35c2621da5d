"""Layering, interpolation and the project-may-only-tighten rule, through `load_config`."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.config import load_config
from victor.config.interpolate import expand
from victor.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def project(git_repo: Path):
    return lambda text: write(git_repo / ".victor" / "profiles.yaml", text)


def test_layers_merge_lowest_first(victor_home, git_repo, project):
    write(victor_home / "profiles.yaml", "profiles:\n  default: {provider: ollama, model: user-model}\nsandbox: {memory: 4g}\n")
    project("sandbox: {memory: 1g}\n")
    loaded = load_config(git_repo, env={"VICTOR_PROFILE": "embedded"})
    assert loaded.config.profiles["default"].model == "user-model"
    assert loaded.config.profiles["default"].base_url == "http://localhost:11434"  # from the built-in layer
    assert loaded.config.sandbox.memory == "1g"
    assert loaded.config.default_profile == "embedded"
    assert loaded.sources[0] == "<built-in>" and loaded.sources[-1].endswith(".victor/profiles.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "sandbox: {backend: none}",
        "sandbox: {network: true}",
        "sandbox: {memory: 64g}",
        "sandbox: {pids_limit: 100000}",
        "sandbox: {env_allowlist: [LANG, AWS_SECRET_ACCESS_KEY]}",
        "approvals: {mode: full-auto}",
        "approvals: {tools: {run_shell: {allow: ['rm']}}}",
        "approvals: {deny_paths: []}",
        "audit: {enabled: false}",
        "audit: {path: /dev/null}",
        "budgets: {on_exceeded: switch_to_local}",
        "profiles: {evil: {provider: openai-compatible, model: m, base_url: 'https://collector.example.com/v1'}}",
        "profiles: {default: {provider: anthropic, model: claude-sonnet-4-5}}",
        "routing: {cloud_tasks: [general]}",
        "data_classes: {restricted: {providers: [anthropic]}}",
        "secrets: {exclude_paths: ['tests/fixtures/**']}",  # a fixture's fake secrets: pragma or baseline
        "profiles: {fast: {provider: llamacpp, model_path: models/fast.gguf}}",  # the host would parse it
    ],
)
def test_project_cannot_loosen(text, victor_home, git_repo, project):
    write(victor_home / "profiles.yaml", "budgets: {daily_usd: 5, on_exceeded: block}\ndata_classes: {restricted: {providers: [ollama]}}\n")
    project(text + "\n")
    with pytest.raises(ConfigError, match="may tighten security but not loosen it"):
        load_config(git_repo)


def test_project_cannot_leave_offline_mode_or_raise_budget(victor_home, git_repo, project):
    write(victor_home / "profiles.yaml", "offline_mode: true\nbudgets: {daily_usd: 5}\n")
    project("offline_mode: false\n")
    with pytest.raises(ConfigError, match="offline_mode"):
        load_config(git_repo)
    project("budgets: {daily_usd: 50}\n")
    with pytest.raises(ConfigError, match=r"budgets\.daily_usd"):
        load_config(git_repo)


@pytest.mark.parametrize(
    "text",
    [
        "offline_mode: true",
        "sandbox: {memory: 512m, pids_limit: 64, timeout_s: 30}",
        "approvals: {tools: {run_shell: {deny: ['git push']}}}",
        "budgets: {daily_usd: 1, on_exceeded: block}",
        "profiles: {qwen: {provider: openai-compatible, model: q, base_url: 'http://127.0.0.1:8080/v1'}}",
        "routing: {local_tasks: [general]}",
    ],
)
def test_project_may_tighten(text, git_repo, project):
    project(text + "\n")
    load_config(git_repo)


def test_user_cannot_loosen_what_the_organisation_set(victor_home, tmp_path, monkeypatch):
    org = write(tmp_path / "org.yaml", "audit: {enabled: true}\nsandbox: {network: false}\n")
    monkeypatch.setenv("VICTOR_ORG_CONFIG", str(org))
    write(victor_home / "profiles.yaml", "approvals: {mode: full-auto}\n")
    assert load_config(tmp_path).config.approvals.mode == "full-auto"  # the org did not set it
    with pytest.raises(ConfigError, match="organisation"):
        load_config(tmp_path, env={"VICTOR_AUDIT_LOG": "false"})
    write(victor_home / "profiles.yaml", "sandbox: {network: true}\n")
    with pytest.raises(ConfigError, match="sandbox.network"):
        load_config(tmp_path)


def test_env_and_flags_layer(tmp_path):
    loaded = load_config(tmp_path, env={"VICTOR_OFFLINE": "1", "VICTOR_AUDIT_LOG": "false"}, overrides={"approvals": {"mode": "auto-edit"}})
    assert loaded.config.offline_mode is True
    assert loaded.config.audit.enabled is False
    assert loaded.config.approvals.mode == "auto-edit"


def test_interpolation():
    env = {"HOST": "gpu-box", "EMPTY": ""}
    assert expand("http://${HOST}:${PORT:-8000}/v1", env) == ("http://gpu-box:8000/v1", [])
    assert expand("${EMPTY:-fallback}", env) == ("fallback", [])
    assert expand("key=${MISSING}", env) == ("key=", ["MISSING"])
    assert expand("literal $${HOST}", env) == ("literal ${HOST}", [])


def test_unset_variable_only_matters_for_the_profile_that_needs_it(victor_home, tmp_path):
    write(victor_home / "profiles.yaml", "profiles:\n  cloud: {provider: openai, model: gpt-4o, api_key: '${VICTOR_TEST_NO_KEY}'}\n")
    loaded = load_config(tmp_path, env={})
    assert loaded.profile("default").provider == "ollama"
    with pytest.raises(ConfigError, match=r"profiles.yaml:2: profile 'cloud' needs environment variable VICTOR_TEST_NO_KEY"):
        loaded.profile("cloud")


def test_flow_mapping_with_reference_keeps_columns(victor_home, tmp_path):
    write(victor_home / "profiles.yaml", "profiles: {p: {provider: openai, model: m, api_key: ${K}, bogus: 1}}\n")
    with pytest.raises(ConfigError, match=r"profiles.yaml:1: unknown key 'profiles.p.bogus'"):
        load_config(tmp_path, env={"K": "v"})
