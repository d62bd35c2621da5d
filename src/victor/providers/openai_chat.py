"""OpenAI and OpenAI-compatible servers (vLLM, LM Studio, llama.cpp's server) through the `openai`
SDK: streamed chat completions with tools. This is the only module that imports `openai`.

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
import os
from collections.abc import Iterator, Sequence
from typing import Any

from victor.config.schema import Pricing, ProfileConfig
from victor.config.urls import uses_env_proxy
from victor.errors import ConfigError, ProviderError
from victor.providers.base import (
    LOCAL_SERVER_TEMPERATURE,
    Capabilities,
    Done,
    Event,
    Message,
    StreamOptions,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
    new_call_id,
    reply_token_limit,
)
from victor.providers import constrained, toolmode
from victor.providers.failures import sdk_error, stream_cut_error
from victor.providers.pricing import cost_usd
from victor.providers.retry import RetryPolicy, retrying_stream

DEFAULT_CONTEXT_WINDOW = 128_000
NO_KEY = "no-key-needed"
FINISH_REASONS = {"stop": "end", "length": "length", "tool_calls": "tool_calls", "function_call": "tool_calls"}
PROBE_TOOL = ToolSpec("get_time", "Get the current time in a city.",
                      {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
PROBE_PROMPT = "What time is it in Paris? Use the get_time tool."


class OpenAIProvider:
    """Chat completions from api.openai.com or any server that speaks the same protocol."""

    def __init__(
        self, profile_name: str, profile: ProfileConfig, *, api_key: str, retry: RetryPolicy | None = None
    ) -> None:
        import openai

        self.profile = profile_name
        self.provider = profile.provider
        self.model = profile.model or ""
        self.settings = profile
        self.pricing: Pricing | None = profile.pricing
        self.retry = retry or RetryPolicy(max_retries=profile.max_retries)
        self.client = openai.OpenAI(
            api_key=api_key, base_url=profile.base_url, timeout=profile.timeout_s, max_retries=0,
            http_client=openai.DefaultHttpxClient(
                trust_env=uses_env_proxy(profile.base_url or os.environ.get("OPENAI_BASE_URL", ""))
            ),
        )
        self.url = str(self.client.base_url)
        self.capabilities = Capabilities(
            native_tools=True, json_schema=True, context_window=profile.context_window or DEFAULT_CONTEXT_WINDOW
        )

    @classmethod
    def from_profile(cls, profile_name: str, profile: ProfileConfig) -> OpenAIProvider:
        key = profile.api_key or os.environ.get("OPENAI_API_KEY")
        if not key and profile.provider == "openai":
            raise ConfigError(
                f"profile '{profile_name}' needs an OpenAI API key",
                hint="export OPENAI_API_KEY=…, or set api_key: ${OPENAI_API_KEY} in the profile",
            )
        return cls(profile_name, profile, api_key=key or NO_KEY)

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        options = options or StreamOptions()
        if options.tool_choice == "none":
            tools = ()
        # a turn without tools keeps the history's format; a required call is constrained natively
        as_text = options.tool_choice != "required" and self.calls_as_text(probe=bool(tools))
        request = self._request(messages, tools, options, as_text)
        return retrying_stream(lambda: self._stream_once(request), self.retry)

    def calls_as_text(self, *, probe: bool = True) -> bool:
        """True when this server leaves the model's tool calls in the text (probed once, cached)."""
        if self.provider != "openai-compatible":
            return False
        key = f"{self.url} {self.model}"
        mode = toolmode.cached(key)
        if mode is None and not probe:
            return False
        if mode is None:
            mode = self._probe()
            toolmode.remember(key, mode)
        if mode == "text" and self.capabilities.native_tools:
            self.capabilities = dataclasses.replace(self.capabilities, native_tools=False)
        return mode == "text"

    def _probe(self) -> str:
        import openai

        request = {"model": self.model, "messages": [{"role": "user", "content": PROBE_PROMPT}],
                   "tools": [wire_tool(PROBE_TOOL)], "tool_choice": "auto", "max_tokens": 48, "temperature": 0}
        try:
            reply = self.client.chat.completions.create(**request)
        except openai.BadRequestError:
            return "text"  # the server refuses `tools` outright
        except openai.APIError as error:
            raise sdk_error(openai, self.provider, error, url=self.url, timeout_s=self.settings.timeout_s) from None
        return "native" if reply.choices and reply.choices[0].message.tool_calls else "text"

    def _request(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], options: StreamOptions, as_text: bool = False
    ) -> dict[str, Any]:
        if as_text:
            hints = [Message(role="system", content=constrained.tool_instructions(tools, tagged=True))] if tools else []
            wire: list[dict[str, Any]] = constrained.plain_chat([*messages[:1], *hints, *messages[1:]],
                                                                fold_system=False, tagged=True)
        else:
            wire = wire_messages(messages)
        request: dict[str, Any] = {
            "model": self.model,
            "messages": wire,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        temperature = options.temperature if options.temperature is not None else self.settings.temperature
        if temperature is None and self.provider == "openai-compatible":
            temperature = LOCAL_SERVER_TEMPERATURE
        if temperature is not None:
            request["temperature"] = temperature
        max_tokens = reply_token_limit(options.max_tokens, self.settings.max_tokens)
        if max_tokens:
            request["max_tokens"] = max_tokens
        if tools and not as_text:
            request["tools"] = [wire_tool(tool) for tool in tools]
            request["tool_choice"] = tool_choice(options.tool_choice, tools)
        return request

    def _stream_once(self, request: dict[str, Any]) -> Iterator[Event]:
        import openai

        try:
            chunks = self.client.chat.completions.create(**request)
        except openai.APIError as error:
            raise sdk_error(openai, self.provider, error, url=self.url, timeout_s=self.settings.timeout_s) from None
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
        yield from reader.calls()
        yield self._usage(reader, request)
        yield Done(FINISH_REASONS.get(reader.finish, "end"))

    def _usage(self, reader: _ChunkReader, request: dict[str, Any]) -> Usage:
        if reader.usage is not None:
            input_tokens, output_tokens = reader.usage.prompt_tokens, reader.usage.completion_tokens
        else:
            input_tokens = len(json.dumps([request["messages"], request.get("tools", [])])) // 4
            output_tokens = max(1, reader.characters // 4)
        cost = cost_usd(self.provider, self.model, input_tokens, output_tokens, self.pricing)
        return Usage(input_tokens=input_tokens, output_tokens=output_tokens, cost_usd=cost)

    def list_models(self) -> list[str]:
        import openai

        try:
            return sorted(model.id for model in self.client.models.list())
        except openai.APIError as error:
            raise sdk_error(openai, self.provider, error, url=self.url, timeout_s=self.settings.timeout_s) from None

    def close(self) -> None:
        self.client.close()


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

    def calls(self) -> Iterator[ToolCall]:
        for _, slot in sorted(self.partial.items()):
            try:
                arguments = json.loads(slot["arguments"]) if slot["arguments"].strip() else {}
            except json.JSONDecodeError:
                raise ProviderError(
                    f"the model sent malformed arguments for tool '{slot['name']}'", retryable=True
                ) from None
            yield ToolCall(id=slot["id"] or new_call_id(), name=slot["name"], arguments=arguments)


def wire_tool(tool: ToolSpec) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }


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
