"""OpenAI and OpenAI-compatible servers (vLLM, LM Studio, llama.cpp's server) through the `openai`
SDK (loaded on first use by `http_base.SDKProvider`): streamed chat completions with tools.

SDK retries are off; `retry.py` does backoff so every backend retries the same way. A server that
streams no usage record (llama.cpp's server) gets an estimate of about four characters a token.

An OpenAI-compatible server may leave the model's tool calls in the text (llama.cpp's server, LM
Studio, vLLM without a tool parser): one probe finds out (cached, `toolmode.py`), and there the tools
are described in the prompt and the history written in the model's own `<tool_call>` format; the
agent parses the calls from the text (`text_calls.py`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import Any

from victor.config.schema import ProfileConfig
from victor.providers import constrained, toolmode
from victor.providers.base import (
    LOCAL_TEMPERATURE,
    Done,
    DoneReason,
    Event,
    Health,
    Message,
    StreamOptions,
    TextDelta,
    ToolSpec,
    Usage,
    function_tool,
    reply_token_limit,
)
from victor.providers.failures import stream_cut_error
from victor.providers.http_base import SDKProvider, probe_get
from victor.providers.pricing import cost_usd

FINISH_REASONS: dict[str, DoneReason] = {
    "stop": "end", "length": "length", "tool_calls": "tool_calls", "function_call": "tool_calls",
}
PROBE_TOOL = ToolSpec("get_time", "Get the current time in a city.",
                      {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
PROBE_PROMPT = "What time is it in Paris? Use the get_time tool."


class OpenAIProvider(SDKProvider):
    """Chat completions from api.openai.com."""

    provider = "openai"
    key_env = "OPENAI_API_KEY"
    default_url = "https://api.openai.com/v1"
    sdk_name = "openai"
    client_class = "OpenAI"
    json_schema = True
    default_context_window = 128_000

    def calls_as_text(self, *, probe: bool = True) -> bool:
        """True when the server leaves the model's tool calls in the text; never for OpenAI's own."""
        return False

    def _request(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], options: StreamOptions
    ) -> dict[str, Any]:
        if options.tool_choice == "none":
            tools = ()
        # a turn without tools keeps the history's format; a required call is constrained natively
        as_text = options.tool_choice != "required" and self.calls_as_text(probe=bool(tools))
        wire: list[dict[str, Any]] = constrained.tagged_chat(messages, tools) if as_text else wire_messages(messages)
        request: dict[str, Any] = {
            "model": self.model,
            "messages": wire,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        temperature = self.temperature(options)
        if temperature is not None:
            request["temperature"] = temperature
        max_tokens = reply_token_limit(options.max_tokens, self.settings.max_tokens)
        if max_tokens:
            request["max_tokens"] = max_tokens
        if tools and not as_text:
            request["tools"] = [function_tool(tool) for tool in tools]
            request["tool_choice"] = tool_choice(options.tool_choice, tools)
        return request

    def _stream_once(self, request: dict[str, Any], tools: Sequence[ToolSpec]) -> Iterator[Event]:
        openai = self.sdk()
        try:
            chunks = self.client.chat.completions.create(**request)
        except openai.APIError as error:
            raise self.sdk_error(error) from None
        reader = _ChunkReader()
        try:
            for chunk in chunks:
                yield from reader.read(chunk)
        except openai.APIError as error:
            raise stream_cut_error(self.provider, str(error)) from None
        finally:
            chunks.close()
        if reader.finish is None:
            raise stream_cut_error(self.provider)
        for slot in reader.calls():
            yield self.tool_call(slot["id"], slot["name"], slot["arguments"])
        yield self._usage(reader, request)
        yield Done(FINISH_REASONS.get(reader.finish, "end"))

    def _usage(self, reader: _ChunkReader, request: dict[str, Any]) -> Usage:
        if reader.usage is not None:
            input_tokens, output_tokens = reader.usage.prompt_tokens, reader.usage.completion_tokens
        else:
            input_tokens = len(json.dumps([request["messages"], request.get("tools", [])])) // 4
            output_tokens = max(1, reader.characters // 4)
        cost = cost_usd(self.provider, self.model, input_tokens, output_tokens, self.settings.pricing)
        return Usage(input_tokens=input_tokens, output_tokens=output_tokens, cost_usd=cost)


class OpenAICompatibleProvider(OpenAIProvider):
    """A server that speaks OpenAI's protocol (vLLM, LM Studio, llama.cpp's server): the key is
    optional, the temperature defaults low, and tool calls may come back as text."""

    provider = "openai-compatible"
    key_required = False
    fleet = True
    default_temperature = LOCAL_TEMPERATURE

    def calls_as_text(self, *, probe: bool = True) -> bool:
        """True when this server leaves the model's tool calls in the text (probed once, cached)."""
        key = f"{self.url} {self.model}"
        mode = toolmode.cached(key)
        if mode is None and not probe:
            return False
        if mode is None:
            mode = self._probe_tool_mode()
            toolmode.remember(key, mode)
        if mode == "text" and self.capabilities.native_tools:
            self.capabilities = dataclasses.replace(self.capabilities, native_tools=False)
        return mode == "text"

    def _probe_tool_mode(self) -> str:
        openai = self.sdk()
        request = {"model": self.model, "messages": [{"role": "user", "content": PROBE_PROMPT}],
                   "tools": [function_tool(PROBE_TOOL)], "tool_choice": "auto", "max_tokens": 48, "temperature": 0}
        try:
            reply = self.client.chat.completions.create(**request)
        except openai.BadRequestError:
            return "text"  # the server refuses `tools` outright
        except openai.APIError as error:
            raise self.sdk_error(error) from None
        return "native" if reply.choices and reply.choices[0].message.tool_calls else "text"

    @classmethod
    def probe(cls, profile: ProfileConfig) -> Health:
        """The server lists its models and takes the key."""
        base = (profile.server_url or "").rstrip("/")
        if not base:
            return Health(False, "no base_url", "set base_url, e.g. http://localhost:8000/v1")
        headers = {"Authorization": f"Bearer {profile.api_key}"} if profile.api_key else {}
        try:
            response = probe_get(f"{base}/models", headers)
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", reported as such
            return Health(False, f"server not reachable at {base} ({type(exc).__name__})",
                          "start the server, check base_url")
        if response.status_code in (401, 403):
            return Health(False, f"{base} refused the key (HTTP {response.status_code})", "check api_key")
        return Health(True, f"{profile.model} at {base}")


class _ChunkReader:
    """Accumulates one streamed completion: text goes out at once, tool calls when complete."""

    def __init__(self) -> None:
        self.finish: str | None = None
        self.usage: Any = None
        self.characters = 0
        self.partial: dict[int, dict[str, str]] = {}

    def read(self, chunk: Any) -> Iterator[Event]:
        if chunk.usage is not None:
            self.usage = chunk.usage
        for choice in chunk.choices:
            delta = choice.delta
            if delta.content:
                self.characters += len(delta.content)
                yield TextDelta(delta.content)
            for call in delta.tool_calls or []:
                slot = self.partial.setdefault(call.index, {"id": "", "name": "", "arguments": ""})
                slot["id"] = slot["id"] or call.id or ""
                if call.function is not None:
                    slot["name"] = slot["name"] or call.function.name or ""  # some servers repeat it
                    slot["arguments"] += call.function.arguments or ""
                    self.characters += len(call.function.arguments or "")
            self.finish = choice.finish_reason or self.finish

    def calls(self) -> list[dict[str, str]]:
        """The complete tool calls, in order: id, name and the arguments' JSON text."""
        return [slot for _, slot in sorted(self.partial.items())]


def tool_choice(choice: str, tools: Sequence[ToolSpec]) -> Any:
    """'required' with a single tool names it: servers without native tool calling then constrain
    decoding to that tool's schema (llama.cpp's server does)."""
    if choice == "required" and len(tools) == 1:
        return {"type": "function", "function": {"name": tools[0].name}}
    return choice


def wire_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    wire: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "tool":
            wire.append({"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content})
        elif message.tool_calls:
            wire.append(
                {
                    "role": "assistant",
                    "content": message.content or None,
                    "tool_calls": [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                        }
                        for call in message.tool_calls
                    ],
                }
            )
        else:
            wire.append({"role": message.role, "content": message.content})
    return wire
