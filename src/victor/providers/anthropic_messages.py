"""Anthropic's Messages API through the `anthropic` SDK: streamed text and `tool_use` blocks.
This is the only module that imports `anthropic`.

Victor's history maps onto Anthropic's shape here: system text goes in `system`, assistant tool
calls become `tool_use` blocks, and tool results become `tool_result` blocks in a user turn.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

from victor.config.schema import ProfileConfig
from victor.config.urls import uses_env_proxy
from victor.errors import ConfigError, ProviderError
from victor.providers.base import (
    Capabilities,
    Done,
    Event,
    Message,
    StreamOptions,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
    reply_token_limit,
)
from victor.providers.failures import sdk_error, stream_cut_error
from victor.providers.pricing import cost_usd
from victor.providers.retry import RetryPolicy, retrying_stream

DEFAULT_MAX_TOKENS = 4096
DEFAULT_CONTEXT_WINDOW = 200_000
STOP_REASONS = {"end_turn": "end", "stop_sequence": "end", "max_tokens": "length", "tool_use": "tool_calls"}
TOOL_CHOICES = {"auto": {"type": "auto"}, "required": {"type": "any"}, "none": {"type": "none"}}


class AnthropicProvider:
    """Claude models over the Messages API."""

    provider = "anthropic"

    def __init__(
        self, profile_name: str, profile: ProfileConfig, *, api_key: str, retry: RetryPolicy | None = None
    ) -> None:
        import anthropic

        self.profile = profile_name
        self.model = profile.model or ""
        self.settings = profile
        self.retry = retry or RetryPolicy(max_retries=profile.max_retries)
        self.client = anthropic.Anthropic(
            api_key=api_key, base_url=profile.base_url, timeout=profile.timeout_s, max_retries=0,
            http_client=anthropic.DefaultHttpxClient(
                trust_env=uses_env_proxy(profile.base_url or os.environ.get("ANTHROPIC_BASE_URL", ""))
            ),
        )
        self.url = str(self.client.base_url)
        self.capabilities = Capabilities(
            native_tools=True, json_schema=False, context_window=profile.context_window or DEFAULT_CONTEXT_WINDOW
        )

    @classmethod
    def from_profile(cls, profile_name: str, profile: ProfileConfig) -> AnthropicProvider:
        key = profile.api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise ConfigError(
                f"profile '{profile_name}' needs an Anthropic API key",
                hint="export ANTHROPIC_API_KEY=…, or set api_key: ${ANTHROPIC_API_KEY} in the profile",
            )
        return cls(profile_name, profile, api_key=key)

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        request = self._request(messages, tools, options or StreamOptions())
        return retrying_stream(lambda: self._stream_once(request), self.retry)

    def _request(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], options: StreamOptions
    ) -> dict[str, Any]:
        system = "\n\n".join(message.content for message in messages if message.role == "system")
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": reply_token_limit(options.max_tokens, self.settings.max_tokens) or DEFAULT_MAX_TOKENS,
            "messages": wire_messages(messages),
            "stream": True,
        }
        if system:
            request["system"] = system
        temperature = options.temperature if options.temperature is not None else self.settings.temperature
        if temperature is not None:
            request["temperature"] = temperature
        if tools:
            request["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools
            ]
            request["tool_choice"] = TOOL_CHOICES[options.tool_choice]
        return request

    def _stream_once(self, request: dict[str, Any]) -> Iterator[Event]:
        import anthropic
        import httpx2  # the SDK's transport; a broken stream surfaces as its error, unwrapped

        try:
            events = self.client.messages.create(**request)
        except anthropic.APIError as error:
            raise sdk_error(anthropic, self.provider, error, url=self.url, timeout_s=self.settings.timeout_s) from None
        reader = _EventReader()
        try:
            for event in events:
                yield from reader.read(event)
        except anthropic.APIStatusError as error:
            raise sdk_error(anthropic, self.provider, error, url=self.url, timeout_s=self.settings.timeout_s) from None
        except (anthropic.APIError, httpx2.TransportError) as error:
            raise stream_cut_error(self.provider, str(error)) from None
        finally:
            events.close()
        if not reader.finished:
            raise stream_cut_error(self.provider)
        cost = cost_usd(self.provider, self.model, reader.input_tokens, reader.output_tokens, self.settings.pricing)
        yield Usage(input_tokens=reader.input_tokens, output_tokens=reader.output_tokens, cost_usd=cost)
        yield Done(STOP_REASONS.get(reader.stop_reason or "end_turn", "end"))

    def list_models(self) -> list[str]:
        import anthropic

        try:
            return sorted(model.id for model in self.client.models.list())
        except anthropic.APIError as error:
            raise sdk_error(anthropic, self.provider, error, url=self.url, timeout_s=self.settings.timeout_s) from None

    def close(self) -> None:
        self.client.close()


class _EventReader:
    """Follows one streamed message: text deltas go out at once, a tool_use block when it closes."""

    def __init__(self) -> None:
        self.input_tokens = 0
        self.output_tokens = 0
        self.stop_reason: str | None = None
        self.finished = False
        self.blocks: dict[int, dict[str, Any]] = {}

    def read(self, event: Any) -> Iterator[Event]:
        kind = event.type
        if kind == "message_start":
            self.input_tokens = event.message.usage.input_tokens
            self.output_tokens = event.message.usage.output_tokens
        elif kind == "content_block_start" and event.content_block.type == "tool_use":
            block = event.content_block
            self.blocks[event.index] = {"id": block.id, "name": block.name, "json": ""}
        elif kind == "content_block_delta":
            if event.delta.type == "text_delta":
                yield TextDelta(event.delta.text)
            elif event.delta.type == "input_json_delta" and event.index in self.blocks:
                self.blocks[event.index]["json"] += event.delta.partial_json
        elif kind == "content_block_stop" and event.index in self.blocks:
            yield self._tool_call(self.blocks.pop(event.index))
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            self.output_tokens = event.usage.output_tokens
        elif kind == "message_stop":
            self.finished = True

    @staticmethod
    def _tool_call(block: dict[str, Any]) -> ToolCall:
        try:
            arguments = json.loads(block["json"]) if block["json"].strip() else {}
        except json.JSONDecodeError:
            raise ProviderError(f"anthropic sent malformed input for tool '{block['name']}'", retryable=True) from None
        return ToolCall(id=block["id"], name=block["name"], arguments=arguments)


def wire_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """User/assistant turns with content blocks; consecutive tool results share one user turn."""
    wire: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        if message.role == "tool":
            block = {"type": "tool_result", "tool_use_id": message.tool_call_id, "content": message.content}
            if wire and wire[-1]["role"] == "user" and isinstance(wire[-1]["content"], list):
                wire[-1]["content"].append(block)
            else:
                wire.append({"role": "user", "content": [block]})
        elif message.tool_calls:
            blocks: list[dict[str, Any]] = [{"type": "text", "text": message.content}] if message.content else []
            blocks += [
                {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments} for c in message.tool_calls
            ]
            wire.append({"role": "assistant", "content": blocks})
        else:
            wire.append({"role": message.role, "content": message.content})
    return wire
