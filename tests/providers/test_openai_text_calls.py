"""An OpenAI-compatible server that leaves the model's tool calls in the text (llama.cpp's server
does): one probe finds out and is cached under VICTOR_HOME; from then on the tools are described in
the prompt, the history is written in the model's `<tool_call>` format, and the agent's repair turns
the text back into calls. Served as real HTTP on loopback, shaped like llama_cpp.server's replies."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from victor.config.schema import ProfileConfig
from victor.paths import cache_dir
from victor.providers.base import Message, ToolCall, ToolSpec
from victor.providers.openai_chat import OpenAICompatibleProvider
from victor.providers.text_calls import with_repair

READ_FILE = ToolSpec("read_file", "Read a file.",
                     {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]})
TEXT_CALL = '<tool_call>\n{"name": "read_file", "arguments": {"path": "leap.py"}}\n</tool_call>'


def completion(content: str, tool_calls: list | None = None) -> dict:
    message = {"role": "assistant", "content": content, **({"tool_calls": tool_calls} if tool_calls else {})}
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "qwen",
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 60, "completion_tokens": 20, "total_tokens": 80}}


def streamed(content: str) -> Response:
    """llama_cpp.server's stream: content deltas, a finish reason, no usage record."""
    chunks = [{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "qwen",
               "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
              for piece in (content[:20], content[20:])]
    chunks.append({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "qwen",
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    body = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
    return Response(body, content_type="text/event-stream")


def serve(httpserver: HTTPServer, probe_reply: dict) -> None:
    def handler(request: Request) -> Response:
        body = json.loads(request.get_data())
        if not body.get("stream"):
            return Response(json.dumps(probe_reply), content_type="application/json")
        return streamed(TEXT_CALL)

    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(handler)


def provider_for(httpserver: HTTPServer) -> OpenAICompatibleProvider:
    profile = ProfileConfig(provider="openai-compatible", model="qwen", base_url=httpserver.url_for("/v1"), timeout_s=10)
    return OpenAICompatibleProvider("local-server", profile, api_key="no-key-needed")


def history() -> list[Message]:
    earlier = ToolCall("call_1", "read_file", {"path": "README.md"})
    return [Message("system", "You are Victor."), Message("user", "Fix leap.py"),
            Message("assistant", "", [earlier]), Message("tool", "# Demo", tool_call_id="call_1", name="read_file")]


def test_calls_left_in_the_text_switch_the_server_to_text_calls(httpserver: HTTPServer) -> None:
    serve(httpserver, completion('<tool_call>{"name": "get_time", "arguments": {"city": "Paris"}}</tool_call>'))
    provider = provider_for(httpserver)

    events = list(with_repair(provider, history(), [READ_FILE]))

    assert [e for e in events if isinstance(e, ToolCall)][0].arguments == {"path": "leap.py"}
    probe, turn = (json.loads(entry[0].get_data()) for entry in httpserver.log)
    assert probe["tools"][0]["function"]["name"] == "get_time" and not probe.get("stream")
    assert "tools" not in turn and turn["temperature"] == 0.2  # not the server's erratic default
    system, user, assistant, result = turn["messages"]
    assert system["content"].startswith("You are Victor.\n\nYou can use these tools:\n- read_file(path): Read a file\n")
    assert '<tool_call>{"name": "<tool name>"' in system["content"]
    assert assistant == {"role": "assistant", "content": '<tool_call>{"name": "read_file", "arguments": {"path": "README.md"}}</tool_call>'}
    assert result == {"role": "user", "content": "Result of read_file:\n# Demo"}
    assert json.loads((cache_dir() / "tool-calls.json").read_text()) == {f"{provider.url} qwen": "text"}
    assert provider.capabilities.native_tools is False

    list(provider_for(httpserver).stream(history(), [READ_FILE]))
    assert len(httpserver.log) == 3  # the cached answer: no second probe


def test_a_server_that_returns_tool_calls_stays_native(httpserver: HTTPServer) -> None:
    native = [{"id": "call_9", "type": "function", "function": {"name": "get_time", "arguments": '{"city": "Paris"}'}}]
    serve(httpserver, completion("", native))
    provider = provider_for(httpserver)

    list(provider.stream(history(), [READ_FILE]))

    turn = json.loads(httpserver.log[1][0].get_data())
    assert turn["tools"][0]["function"]["name"] == "read_file" and turn["messages"][2]["tool_calls"]
    assert provider.capabilities.native_tools is True
