"""The Ollama provider against recorded, real-shaped exchanges (NDJSON streams, /api/show, /api/tags):
the real `ollama` SDK speaks HTTP to a local server replaying what `ollama serve` sends."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from tests.providers.conftest import dropped, ndjson, recording, truncated
from victor.config.schema import ProfileConfig
from victor.errors import ProviderError
from victor.providers.base import Done, Message, TextDelta, ToolCall, ToolSpec, Usage
from victor.providers.ollama_chat import OllamaProvider
from victor.providers.retry import RetryPolicy

READ_FILE = ToolSpec(
    "read_file", "Read a file.", {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
)


def serve_model(httpserver: HTTPServer, show: str = "ollama_show_tools.json") -> None:
    httpserver.expect_request("/api/show", method="POST").respond_with_data(
        recording(show), content_type="application/json"
    )


def sent_chat(httpserver: HTTPServer) -> dict:
    return next(json.loads(request.get_data()) for request, _ in httpserver.log if request.path == "/api/chat")


@pytest.fixture
def provider(httpserver: HTTPServer, retry: RetryPolicy) -> OllamaProvider:
    profile = ProfileConfig(provider="ollama", model="qwen2.5-coder:7b", base_url=httpserver.url_for(""), timeout_s=10)
    return OllamaProvider("default", profile, retry=retry)


def test_streams_text_with_usage_and_sized_context(httpserver: HTTPServer, provider: OllamaProvider) -> None:
    serve_model(httpserver)
    httpserver.expect_request("/api/chat", method="POST").respond_with_response(ndjson("ollama_text.ndjson"))

    events = list(provider.stream([Message("user", "A haiku about git")]))

    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Merge", " conflicts bloom"]
    assert Usage(31, 4, 0.0) in events and events[-1] == Done("end")
    assert sent_chat(httpserver)["options"]["num_ctx"] == 4096


def test_num_ctx_grows_with_the_conversation_within_the_model_window(provider: OllamaProvider, httpserver) -> None:
    serve_model(httpserver)
    long_history = [Message("user", "x" * 60_000)]

    assert provider.num_ctx(long_history, [], 1024) == 22528
    assert provider.num_ctx([Message("user", "x" * 10**6)], [], 1024) == 32768  # qwen2.context_length


def test_native_tools_when_the_template_supports_them(httpserver: HTTPServer, provider: OllamaProvider) -> None:
    serve_model(httpserver)
    httpserver.expect_request("/api/chat", method="POST").respond_with_response(ndjson("ollama_tool.ndjson"))

    events = list(provider.stream([Message("user", "Read the README")], [READ_FILE]))

    call = next(e for e in events if isinstance(e, ToolCall))
    assert (call.name, call.arguments) == ("read_file", {"path": "README.md"})
    assert events[-1] == Done("tool_calls")
    sent = sent_chat(httpserver)
    assert sent["tools"][0]["function"]["name"] == "read_file" and "format" not in sent


def test_json_schema_format_when_the_template_has_no_tools(httpserver: HTTPServer, retry: RetryPolicy) -> None:
    profile = ProfileConfig(provider="ollama", model="phi3:mini", base_url=httpserver.url_for(""))
    provider = OllamaProvider("small", profile, retry=retry)
    serve_model(httpserver, "ollama_show_plain.json")
    httpserver.expect_request("/api/chat", method="POST").respond_with_response(ndjson("ollama_constrained.ndjson"))

    events = list(provider.stream([Message("user", "Read the README")], [READ_FILE]))

    call = next(e for e in events if isinstance(e, ToolCall))
    assert (call.name, call.arguments) == ("read_file", {"path": "README.md"})
    assert not any(isinstance(e, TextDelta) for e in events) and events[-1] == Done("tool_calls")
    sent = sent_chat(httpserver)
    assert not sent.get("tools") and sent["format"]["anyOf"][0]["properties"]["tool"] == {"const": "read_file"}
    assert "read_file" in sent["messages"][0]["content"]


def test_model_not_found_lists_the_servers_models(httpserver: HTTPServer, retry: RetryPolicy) -> None:
    profile = ProfileConfig(provider="ollama", model="llama9:70b", base_url=httpserver.url_for(""))
    provider = OllamaProvider("default", profile, retry=retry)
    httpserver.expect_request("/api/show").respond_with_json({"error": "model 'llama9:70b' not found"}, status=404)
    httpserver.expect_request("/api/tags").respond_with_data(
        recording("ollama_tags.json"), content_type="application/json"
    )

    with pytest.raises(ProviderError) as caught:
        list(provider.stream([Message("user", "hi")]))

    assert "no model 'llama9:70b'" in caught.value.message
    assert "phi3:mini, qwen2.5-coder:7b" in caught.value.message
    assert "ollama pull llama9:70b" in caught.value.hint


def test_connection_refused_suggests_ollama_serve(retry: RetryPolicy) -> None:
    profile = ProfileConfig(provider="ollama", model="qwen2.5-coder:7b", base_url="http://127.0.0.1:9")
    provider = OllamaProvider("default", profile, retry=retry)

    with pytest.raises(ProviderError) as caught:
        list(provider.stream([Message("user", "hi")]))

    assert "http://127.0.0.1:9" in caught.value.message and "ollama serve" in caught.value.hint
    assert "victor doctor" in caught.value.hint and caught.value.retryable


def test_429_and_500_are_retried(httpserver: HTTPServer, provider: OllamaProvider, waits) -> None:
    httpserver.expect_ordered_request("/api/show").respond_with_data(
        recording("ollama_show_tools.json"), content_type="application/json"
    )
    httpserver.expect_ordered_request("/api/chat").respond_with_json({"error": "server busy"}, status=429)
    httpserver.expect_ordered_request("/api/chat").respond_with_json({"error": "llama runner crashed"}, status=500)
    httpserver.expect_ordered_request("/api/chat").respond_with_response(ndjson("ollama_text.ndjson"))

    events = list(provider.stream([Message("user", "hi")]))

    assert len(waits) == 2 and events[-1] == Done("end")


@pytest.mark.parametrize("cut", [truncated, dropped])
def test_a_stream_cut_mid_way_is_retryable(httpserver: HTTPServer, provider: OllamaProvider, cut) -> None:
    serve_model(httpserver)
    httpserver.expect_request("/api/chat").respond_with_response(
        cut("ollama_text.ndjson", lines=1, content_type="application/x-ndjson")
    )

    seen = []
    with pytest.raises(ProviderError, match="cut off mid-way") as caught:
        for event in provider.stream([Message("user", "hi")]):
            seen.append(event)

    assert seen == [TextDelta("Merge")] and caught.value.retryable


def test_list_models(httpserver: HTTPServer, provider: OllamaProvider) -> None:
    httpserver.expect_request("/api/tags").respond_with_data(
        recording("ollama_tags.json"), content_type="application/json"
    )

    assert provider.list_models() == ["phi3:mini", "qwen2.5-coder:7b"]
