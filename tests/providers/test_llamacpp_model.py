"""llama.cpp in-process against a real embedded model: Qwen2.5-Coder-0.5B-Instruct (`embedded-small`),
its chat template taken from the GGUF."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.config.schema import ProfileConfig
from victor.errors import ProviderError
from victor.models.catalog import QWEN_CODER_0_5B
from victor.providers.base import Done, Message, StreamOptions, TextDelta, ToolCall, ToolSpec, Usage
from victor.providers.llamacpp import LlamaCppProvider
from victor.providers.registry import build_provider
from victor.providers.text_calls import with_repair
from victor.tools.arguments import schema_problems

pytestmark = pytest.mark.model

READ_FILE = ToolSpec(
    "read_file",
    "Read a text file from the workspace.",
    {
        "type": "object",
        "properties": {"path": {"type": "string", "description": "path relative to the repository"}},
        "required": ["path"],
    },
)
AGENT_TOOLS = [
    READ_FILE,
    ToolSpec(
        "write_file",
        "Write a text file.",
        {
            "type": "object",
            "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
            "required": ["path", "content"],
        },
    ),
    ToolSpec(
        "run_shell",
        "Run a shell command in the sandbox.",
        {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
    ),
]


@pytest.fixture(scope="module")
def embedded(embedded_gguf: Path) -> LlamaCppProvider:
    profile = ProfileConfig(provider="llamacpp", model_path=str(embedded_gguf), n_ctx=2048, temperature=0)
    return build_provider("embedded", profile, offline=True)


def test_a_completion_streams_text_then_usage(embedded: LlamaCppProvider) -> None:
    events = list(embedded.stream([Message("user", "Write a haiku about git")], options=StreamOptions(max_tokens=12)))

    deltas = [e for e in events if isinstance(e, TextDelta)]
    usage = next(e for e in events if isinstance(e, Usage))
    assert len(deltas) > 1 and "".join(d.text for d in deltas).strip()
    assert usage.input_tokens > 5 and 1 <= usage.output_tokens <= 12 and usage.cost_usd == 0.0
    assert events[-1] in (Done("length"), Done("end"))


def test_a_model_with_tagged_calls_in_its_template_writes_them_and_the_agent_parses_them(
    embedded: LlamaCppProvider,
) -> None:
    prompt = [Message("user", "Read README.md and tell me its first heading")]
    assert embedded.calls_as_text  # Qwen2.5's template has <tool_call>

    text = "".join(e.text for e in embedded.stream(prompt, AGENT_TOOLS, StreamOptions(max_tokens=48))
                   if isinstance(e, TextDelta))
    events = list(with_repair(embedded, prompt, AGENT_TOOLS, StreamOptions(max_tokens=48)))

    assert '"name": "read_file"' in text  # its own call format (the tags are special tokens, not text)
    call = next(e for e in events if isinstance(e, ToolCall))
    assert call.name == "read_file" and call.arguments == {"path": "README.md"}
    assert not schema_problems(call.arguments, READ_FILE.parameters)


def test_required_tool_choice_always_calls(embedded: LlamaCppProvider) -> None:
    events = list(
        embedded.stream([Message("user", "hello")], [READ_FILE], StreamOptions(max_tokens=32, tool_choice="required"))
    )

    call = next(e for e in events if isinstance(e, ToolCall))
    assert call.name == "read_file" and isinstance(call.arguments["path"], str)


def test_the_model_is_loaded_once_and_reused(embedded: LlamaCppProvider, embedded_gguf: Path) -> None:
    again = build_provider(
        "other", ProfileConfig(provider="llamacpp", model_path=str(embedded_gguf), n_ctx=2048), offline=True
    )
    by_name = build_provider(
        "embedded-small", ProfileConfig(provider="llamacpp", model=QWEN_CODER_0_5B.name, n_ctx=2048), offline=True
    )

    assert again.llama is embedded.llama and by_name.llama is embedded.llama
    assert by_name.model == "qwen2.5-coder-0.5b" and by_name.capabilities.context_window == 2048


def test_an_instruct_model_answers_with_the_template_from_its_gguf(embedded: LlamaCppProvider) -> None:
    prompt = [Message("system", "Answer with one word."), Message("user", "What is the capital of France?")]

    events = list(embedded.stream(prompt, options=StreamOptions(max_tokens=8)))

    text = "".join(event.text for event in events if isinstance(event, TextDelta))

    assert embedded.llama.chat_format == "chat_template.default"  # the GGUF's own template, not a fallback
    assert "paris" in text.lower()


def test_context_overflow_says_so(embedded: LlamaCppProvider) -> None:
    with pytest.raises(ProviderError, match="context window"):
        list(embedded.stream([Message("user", "commit " * 3000)]))
