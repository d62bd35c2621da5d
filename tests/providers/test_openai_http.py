"""The OpenAI provider against recorded, real-shaped HTTP exchanges: the real `openai` SDK speaks
HTTP to a local server that replays what api.openai.com sends."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.providers.conftest import dropped, sse, truncated
from victor.config.schema import ProfileConfig
from victor.errors import ProviderError
from victor.providers.base import Done, Message, StreamOptions, TextDelta, ToolCall, ToolSpec, Usage
from victor.providers.openai_chat import OpenAICompatibleProvider, OpenAIProvider
from victor.providers.retry import RetryPolicy

PATH = "/v1/chat/completions"
READ_FILE = ToolSpec(
    "read_file", "Read a file.", {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
)
API_KEY = "sk-test-0123456789abcdef"


def error_body(message: str, kind: str, code: str | None = None) -> str:
    return json.dumps({"error": {"message": message, "type": kind, "param": None, "code": code}})


@pytest.fixture
def provider(httpserver: HTTPServer, retry: RetryPolicy) -> OpenAIProvider:
    profile = ProfileConfig(provider="openai", model="gpt-4o-mini", base_url=httpserver.url_for("/v1"), timeout_s=10)
    return OpenAIProvider("cloud", profile, api_key=API_KEY, retry=retry)


def test_streams_text_then_usage_with_cost(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_response(sse("openai_text.sse"))

    events = list(provider.stream([Message("user", "A haiku about git")]))

    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Commits", " stack like", " leaves"]
    usage = next(e for e in events if isinstance(e, Usage))
    assert (usage.input_tokens, usage.output_tokens) == (21, 5)
    assert usage.cost_usd == pytest.approx((21 * 0.15 + 5 * 0.60) / 1_000_000)
    assert events[-1] == Done("end")
    sent = json.loads(httpserver.log[0][0].get_data())
    assert sent["stream"] is True and sent["messages"] == [{"role": "user", "content": "A haiku about git"}]
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_tool_call_is_assembled_from_streamed_fragments(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_response(sse("openai_tool.sse"))

    events = list(provider.stream([Message("user", "Read the README")], [READ_FILE]))

    assert ToolCall("call_q3VZ8nG0sXyA1b2C", "read_file", {"path": "README.md"}) in events
    assert events[-1] == Done("tool_calls")
    sent = json.loads(httpserver.log[0][0].get_data())
    assert sent["tools"][0]["function"]["name"] == "read_file" and sent["tool_choice"] == "auto"


def test_history_with_tool_results_goes_out_in_openai_shape(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_response(sse("openai_text.sse"))
    call = ToolCall("call_1", "read_file", {"path": "README.md"})
    history = [
        Message("user", "Read it"),
        Message("assistant", "", tool_calls=[call]),
        Message("tool", "# Victor", tool_call_id="call_1", name="read_file"),
    ]

    list(provider.stream(history, [READ_FILE]))

    sent = json.loads(httpserver.log[0][0].get_data())["messages"]
    assert sent[1]["tool_calls"][0] == {
        "id": "call_1",
        "type": "function",
        "function": {"name": "read_file", "arguments": '{"path": "README.md"}'},
    }
    assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "# Victor"}


def test_401_names_the_env_var_and_never_the_key(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    body = error_body(f"Incorrect API key provided: {API_KEY[:8]}***cdef.", "invalid_request_error", "invalid_api_key")
    httpserver.expect_request(PATH).respond_with_data(body, status=401, content_type="application/json")

    with pytest.raises(ProviderError) as caught:
        list(provider.stream([Message("user", "hi")]))

    assert caught.value.status == 401 and not caught.value.retryable
    assert "OPENAI_API_KEY" in caught.value.hint
    assert API_KEY[:8] not in caught.value.message + caught.value.hint


def test_429_waits_as_retry_after_says_then_succeeds(httpserver: HTTPServer, provider: OpenAIProvider, waits) -> None:
    limited = error_body(
        "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.", "requests", "rate_limit_exceeded"
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        limited, status=429, headers={"Retry-After": "7"}, content_type="application/json"
    )
    httpserver.expect_ordered_request(PATH).respond_with_response(sse("openai_text.sse"))

    events = list(provider.stream([Message("user", "hi")]))

    assert waits == [7.0]
    assert events[-1] == Done("end")


def test_500s_are_retried_with_backoff_then_reported_as_retryable(httpserver: HTTPServer, provider, waits) -> None:
    body = error_body("The server had an error while processing your request. Sorry about that!", "server_error")
    httpserver.expect_request(PATH).respond_with_data(body, status=500, content_type="application/json")

    with pytest.raises(ProviderError) as caught:
        list(provider.stream([Message("user", "hi")]))

    assert len(httpserver.log) == 3 and len(waits) == 2 and waits[1] > 0
    assert caught.value.retryable and caught.value.status == 500
    assert "gave up after 2 retries" in caught.value.message


def test_context_overflow_says_so(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    body = error_body(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in "
        "130512 tokens. Please reduce the length of the messages.",
        "invalid_request_error",
        "context_length_exceeded",
    )
    httpserver.expect_request(PATH).respond_with_data(body, status=400, content_type="application/json")

    with pytest.raises(ProviderError, match="longer than the model's context window"):
        list(provider.stream([Message("user", "x" * 1000)]))


@pytest.mark.parametrize("cut", [truncated, dropped])
def test_a_stream_cut_mid_way_is_a_retryable_error(httpserver: HTTPServer, provider: OpenAIProvider, cut) -> None:
    httpserver.expect_request(PATH).respond_with_response(
        cut("openai_text.sse", lines=4, content_type="text/event-stream")
    )

    seen = []
    with pytest.raises(ProviderError, match="cut off mid-way") as caught:
        for event in provider.stream([Message("user", "hi")]):
            seen.append(event)

    assert seen == [TextDelta("Commits")]
    assert caught.value.retryable
    assert len(httpserver.log) == 1  # text already reached the user: not silently repeated


def test_connection_refused_names_the_url(retry: RetryPolicy) -> None:
    profile = ProfileConfig(provider="openai-compatible", model="m", base_url="http://127.0.0.1:9/v1", timeout_s=5)
    provider = OpenAICompatibleProvider("local", profile, api_key="none", retry=retry)

    with pytest.raises(ProviderError, match=r"cannot connect to openai-compatible at http://127.0.0.1:9/v1") as caught:
        list(provider.stream([Message("user", "hi")]))

    assert "victor doctor" in caught.value.hint and caught.value.retryable


def test_required_choice_with_one_tool_names_it(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    def check(request: Request) -> Response:
        assert json.loads(request.get_data())["tool_choice"] == {"type": "function", "function": {"name": "read_file"}}
        return sse("openai_tool.sse")

    httpserver.expect_request(PATH).respond_with_handler(check)

    events = list(provider.stream([Message("user", "Read")], [READ_FILE], StreamOptions(tool_choice="required")))

    assert any(isinstance(e, ToolCall) for e in events)


def test_list_models(httpserver: HTTPServer, provider: OpenAIProvider) -> None:
    listing = {
        "object": "list",
        "data": [
            {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
            {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
        ],
    }
    httpserver.expect_request("/v1/models", method="GET").respond_with_json(listing)

    assert provider.list_models() == ["gpt-4o", "gpt-4o-mini"]


def test_the_profiles_max_tokens_caps_what_the_caller_asks(httpserver: HTTPServer, retry: RetryPolicy) -> None:
    profile = ProfileConfig(provider="openai", model="gpt-4o", base_url=httpserver.url_for("/v1"), max_tokens=100)
    provider = OpenAIProvider("capped", profile, api_key=API_KEY, retry=retry)
    httpserver.expect_request(PATH).respond_with_response(sse("openai_text.sse"))

    list(provider.stream([Message("user", "hi")], options=StreamOptions(max_tokens=4096)))
    list(provider.stream([Message("user", "hi")], options=StreamOptions(max_tokens=50)))

    assert [json.loads(request.get_data())["max_tokens"] for request, _ in httpserver.log] == [100, 50]
