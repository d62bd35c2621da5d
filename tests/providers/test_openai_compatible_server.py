"""The OpenAI-compatible provider against a real server on loopback: `python -m llama_cpp.server`
serving the embedded-small model (the `llama_server` fixture), and the CLI through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.config.schema import ProfileConfig
from victor.providers.base import Done, Message, StreamOptions, TextDelta, ToolCall, ToolSpec, Usage
from victor.providers.openai_chat import OpenAICompatibleProvider
from victor.providers.registry import build_provider

pytestmark = pytest.mark.model

READ_FILE = ToolSpec(
    "read_file",
    "Read a text file from the workspace.",
    {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
)


@pytest.fixture
def server_provider(llama_server: str) -> OpenAICompatibleProvider:
    profile = ProfileConfig(provider="openai-compatible", model="qwen2.5-coder-0.5b", base_url=llama_server, temperature=0)
    return build_provider("local-server", profile, offline=True)


def test_streamed_text(server_provider: OpenAICompatibleProvider) -> None:
    events = list(
        server_provider.stream([Message("user", "Write a haiku about git")], options=StreamOptions(max_tokens=12))
    )

    assert sum(isinstance(e, TextDelta) for e in events) > 1
    assert next(e for e in events if isinstance(e, Usage)).output_tokens > 0
    assert events[-1] in (Done("length"), Done("end"))


def test_tool_call(server_provider: OpenAICompatibleProvider) -> None:
    events = list(
        server_provider.stream(
            [Message("user", "Read README.md")], [READ_FILE], StreamOptions(max_tokens=32, tool_choice="required")
        )
    )

    call = next(e for e in events if isinstance(e, ToolCall))
    assert call.name == "read_file" and isinstance(call.arguments.get("path"), str) and call.id
    assert events[-1] == Done("tool_calls")


def write_profile(home: Path, base_url: str) -> None:
    (home / "profiles.yaml").write_text(
        "profiles:\n"
        "  local-server:\n"
        "    provider: openai-compatible\n"
        "    model: qwen2.5-coder-0.5b\n"
        f"    base_url: {base_url}\n"
        "    max_tokens: 12\n"
    )


def test_victor_models_lists_the_servers_models(llama_server: str, victor_home: Path, victor) -> None:
    write_profile(victor_home, llama_server)

    result = victor("models", "--profile", "local-server")

    assert result.returncode == 0, result.stderr
    assert "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf" in result.stdout


def test_victor_run_no_tools_streams_model_text(llama_server: str, victor_home: Path, victor, tmp_path) -> None:
    write_profile(victor_home, llama_server)

    result = victor(
        "run", "--profile", "local-server", "--no-tools", "--offline", "Write a haiku about git", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
