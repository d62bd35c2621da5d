"""The provider factory: offline policy, configuration errors, and SDKs imported only on demand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from victor.config.schema import ProfileConfig
from victor.errors import ConfigError, PolicyDenied
from victor.providers.registry import build_provider

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
