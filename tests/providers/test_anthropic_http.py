"""The Anthropic provider against recorded, real-shaped Messages API exchanges: the real `anthropic`
SDK speaks HTTP to a local server replaying what api.anthropic.com sends (SSE)."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from tests.providers.conftest import dropped, sse, truncated
from victor.config.schema import ProfileConfig
from victor.errors import ConfigError, ProviderError
from victor.providers.anthropic_messages import AnthropicProvider
from victor.providers.base import Done, Message, TextDelta, ToolCall, ToolSpec, Usage
from victor.providers.retry import RetryPolicy

PATH = "/v1/messages"
READ_FILE = ToolSpec(
    "read_file", "Read a file.", {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
)
API_KEY = "sk-ant-test-0123456789"


def error_body(kind: str, message: str) -> str:
    return json.dumps({"type": "error", "error": {"type": kind, "message": message}})


@pytest.fixture
def provider(httpserver: HTTPServer, retry: RetryPolicy) -> AnthropicProvider:
    profile = ProfileConfig(
        provider="anthropic", model="claude-haiku-4-5", base_url=httpserver.url_for(""), timeout_s=10
    )
    return AnthropicProvider("claude", profile, api_key=API_KEY, retry=retry)


def test_streams_text_and_usage_with_cost(httpserver: HTTPServer, provider: AnthropicProvider) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_response(sse("anthropic_text.sse"))

    events = list(provider.stream([Message("system", "Be brief."), Message("user", "A haiku about git")]))

    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Branches", " fork and rejoin"]
    assert Usage(25, 9, cost_usd=pytest.approx((25 * 1 + 9 * 5) / 1_000_000)) in events
    assert events[-1] == Done("end")
    request = httpserver.log[0][0]
    sent = json.loads(request.get_data())
    assert sent["system"] == "Be brief." and sent["messages"] == [{"role": "user", "content": "A haiku about git"}]
    assert any(API_KEY in value for value in request.headers.values())  # x-api-key or Bearer


def test_tool_use_block_becomes_a_tool_call(httpserver: HTTPServer, provider: AnthropicProvider) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_response(sse("anthropic_tool.sse"))

    events = list(provider.stream([Message("user", "Read the README")], [READ_FILE]))

    assert TextDelta("I'll read the file.") in events
    assert ToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "read_file", {"path": "README.md"}) in events
    assert events[-1] == Done("tool_calls")
    sent = json.loads(httpserver.log[0][0].get_data())
    assert sent["tools"][0]["input_schema"] == READ_FILE.parameters and sent["tool_choice"] == {"type": "auto"}


def test_tool_results_go_back_as_tool_result_blocks(httpserver: HTTPServer, provider: AnthropicProvider) -> None:
    httpserver.expect_request(PATH).respond_with_response(sse("anthropic_text.sse"))
    calls = [ToolCall("toolu_1", "read_file", {"path": "a"}), ToolCall("toolu_2", "read_file", {"path": "b"})]
    history = [
        Message("user", "Read a and b"),
        Message("assistant", "Reading.", tool_calls=calls),
        Message("tool", "A", tool_call_id="toolu_1"),
        Message("tool", "B", tool_call_id="toolu_2"),
    ]

    list(provider.stream(history, [READ_FILE]))

    sent = json.loads(httpserver.log[0][0].get_data())["messages"]
    assert [block["type"] for block in sent[1]["content"]] == ["text", "tool_use", "tool_use"]
    assert sent[2] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "A"},
            {"type": "tool_result", "tool_use_id": "toolu_2", "content": "B"},
        ],
    }


def test_401_names_the_env_var(httpserver: HTTPServer, provider: AnthropicProvider) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        error_body("authentication_error", "invalid x-api-key"), status=401, content_type="application/json"
    )

    with pytest.raises(ProviderError) as caught:
        list(provider.stream([Message("user", "hi")]))

    assert caught.value.status == 401 and "ANTHROPIC_API_KEY" in caught.value.hint
    assert API_KEY not in caught.value.message


def test_429_honours_retry_after(httpserver: HTTPServer, provider: AnthropicProvider, waits) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        error_body("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
        status=429,
        headers={"retry-after": "3"},
        content_type="application/json",
    )
    httpserver.expect_ordered_request(PATH).respond_with_response(sse("anthropic_text.sse"))

    events = list(provider.stream([Message("user", "hi")]))

    assert waits == [3.0] and events[-1] == Done("end")


def test_overloaded_500s_give_up_as_retryable(httpserver: HTTPServer, provider: AnthropicProvider, waits) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        error_body("api_error", "Internal server error"), status=500, content_type="application/json"
    )

    with pytest.raises(ProviderError) as caught:
        list(provider.stream([Message("user", "hi")]))

    assert caught.value.retryable and len(httpserver.log) == 3 and len(waits) == 2


def test_prompt_too_long_says_context(httpserver: HTTPServer, provider: AnthropicProvider) -> None:
    body = error_body("invalid_request_error", "prompt is too long: 210012 tokens > 200000 maximum")
    httpserver.expect_request(PATH).respond_with_data(body, status=400, content_type="application/json")

    with pytest.raises(ProviderError, match="context window"):
        list(provider.stream([Message("user", "hi")]))


@pytest.mark.parametrize("cut", [truncated, dropped])
def test_a_stream_cut_mid_way_is_retryable(httpserver: HTTPServer, provider: AnthropicProvider, cut) -> None:
    httpserver.expect_request(PATH).respond_with_response(
        cut("anthropic_text.sse", lines=12, content_type="text/event-stream")
    )

    seen = []
    with pytest.raises(ProviderError, match="cut off mid-way") as caught:
        for event in provider.stream([Message("user", "hi")]):
            seen.append(event)

    assert seen == [TextDelta("Branches")] and caught.value.retryable


def test_a_missing_key_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)

    with pytest.raises(ConfigError) as caught:
        AnthropicProvider.from_profile("claude", ProfileConfig(provider="anthropic", model="claude-haiku-4-5"))

    assert "ANTHROPIC_API_KEY" in caught.value.hint
