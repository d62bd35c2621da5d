"""The backend registry and provider factory: offline policy, configuration errors, SDKs imported only on
demand, and a new backend that is one module plus one registry line."""

from __future__ import annotations

import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from victor.config.schema import ProfileConfig, ProviderName
from victor.errors import ConfigError, PolicyDenied
from victor.providers.registry import BACKENDS, backend, build_provider, fleet_backends, stays_local

SDKS = ("openai", "anthropic", "ollama", "llama_cpp", "textual", "docker", "detect_secrets")


def test_offline_refuses_a_cloud_profile_by_name() -> None:
    profile = ProfileConfig(provider="anthropic", model="claude-haiku-4-5", api_key="sk-ant-x")

    with pytest.raises(PolicyDenied, match="profile 'claude'") as caught:
        build_provider("claude", profile, offline=True)

    assert caught.value.exit_code == 4


def test_offline_allows_a_loopback_openai_compatible_server() -> None:
    profile = ProfileConfig(provider="openai-compatible", model="qwen", base_url="http://127.0.0.1:8080/v1")

    provider = build_provider("lan", profile, offline=True)

    assert (provider.provider, provider.profile, provider.model) == ("openai-compatible", "lan", "qwen")
    assert provider.capabilities.native_tools


def test_cloud_openai_without_a_key_names_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    with pytest.raises(ConfigError) as caught:
        build_provider("cloud", ProfileConfig(provider="openai", model="gpt-4o"), offline=False)

    assert "OPENAI_API_KEY" in caught.value.hint


def test_missing_model_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "models" / "qwen2.5-coder-7b.gguf"

    with pytest.raises(ConfigError, match=str(missing)):
        build_provider("local", ProfileConfig(provider="llamacpp", model_path=str(missing)), offline=True)


def test_a_file_that_is_not_gguf_is_a_config_error(tmp_path: Path) -> None:
    bogus = tmp_path / "model.gguf"
    bogus.write_text("not a model")

    with pytest.raises(ConfigError, match="cannot load"):
        build_provider("local", ProfileConfig(provider="llamacpp", model_path=str(bogus)), offline=True)


def test_sdks_are_imported_only_when_a_profile_needs_them() -> None:
    code = (
        "import sys\n"
        "from victor.providers.registry import build_provider\n"
        "from victor.providers import text_calls, pricing, constrained\n"
        "from victor.cli import build_app\n"
        "build_app()\n"
        f"print(sorted(name for name in {SDKS!r} if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


ECHO_BACKEND = '''
from victor.providers.base import Capabilities, Done, Health, TextDelta, Usage


class EchoProvider:
    provider = "echo"
    key_env = "ECHO_API_KEY"
    locality = "cloud"
    fleet = False

    def __init__(self, profile_name, profile):
        self.profile, self.model = profile_name, profile.model
        self.capabilities = Capabilities(native_tools=False, json_schema=False, context_window=1000)

    @classmethod
    def from_profile(cls, profile_name, profile):
        return cls(profile_name, profile)

    @classmethod
    def probe(cls, profile):
        return Health(False, "echo is asleep", "wake it")

    def stream(self, messages, tools=(), options=None):
        yield TextDelta(messages[-1].content)
        yield Usage(1, 1)
        yield Done()

    def list_models(self):
        return [self.model]

    def close(self):
        pass
'''

NEW_BACKEND_CHECKS = '''
from victor.providers import registry
registry.BACKENDS["echo"] = "echo_backend:EchoProvider"

from victor.config.loader import LoadedConfig
from victor.config.schema import Config
from victor.doctor import check_profile
from victor.errors import PolicyDenied
from victor.providers.base import Message
from victor.providers.failures import status_error
from victor.providers.pricing import cost_usd

config = Config.model_validate({"default_profile": "e", "profiles": {"e": {"provider": "echo", "model": "m"}}})
profile = config.profiles["e"]
assert not profile.is_local
assert "ECHO_API_KEY" in status_error("echo", 401, "").hint
assert cost_usd("echo", "m", 1000, 1000) == 0.0
check = check_profile(LoadedConfig(config=config, sources=[]), "e")
assert (check.ok, check.detail, check.hint) == (False, "echo is asleep", "wake it")
try:
    registry.build_provider("e", profile, offline=True)
    raise AssertionError("offline mode let a cloud backend through")
except PolicyDenied:
    pass
provider = registry.build_provider("e", profile, offline=False)
print([type(event).__name__ for event in provider.stream([Message("user", "hi")])])
'''


def test_a_new_backend_is_one_module_and_one_registry_line(tmp_path: Path) -> None:
    (tmp_path / "echo_backend.py").write_text(ECHO_BACKEND)
    result = subprocess.run([sys.executable, "-c", NEW_BACKEND_CHECKS], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(tmp_path)}, timeout=60)

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "['TextDelta', 'Usage', 'Done']"


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_every_backend_declares_itself(name: str) -> None:
    declared = backend(name)

    assert declared.locality in ("in-process", "local", "cloud")
    assert declared.key_env is None or declared.key_env.endswith("_API_KEY")
    assert callable(declared.probe) and callable(declared.from_profile)


def test_the_schema_and_offline_mode_follow_what_backends_declare() -> None:
    assert set(typing.get_args(ProviderName)) == set(BACKENDS)
    assert stays_local("ollama") and stays_local("llamacpp") and not stays_local("openai-compatible")
    assert sorted(fleet_backends()) == ["ollama", "openai-compatible"]
    assert ProfileConfig(provider="ollama", model="m").is_local
    assert not ProfileConfig(provider="openai-compatible", model="m").is_local
    assert ProfileConfig(provider="llamacpp", base_url="https://example.com").is_local  # in-process: no server
    with pytest.raises(ValueError, match="a fleet\\) is for ollama and openai-compatible servers, not 'anthropic'"):
        ProfileConfig(provider="anthropic", model="m", base_url=["https://a.example", "https://b.example"])
