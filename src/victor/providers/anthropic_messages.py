"""Anthropic's Messages API through the `anthropic` SDK (loaded on first use by
`http_base.SDKProvider`): streamed text and `tool_use` blocks.

Victor's history maps onto Anthropic's shape here: system text goes in `system`, assistant tool
calls become `tool_use` blocks, and tool results become `tool_result` blocks in a user turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from victor.providers.base import (
    Done,
    DoneReason,
    Event,
    Message,
    StreamOptions,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
    reply_token_limit,
)
from victor.providers.failures import stream_cut_error
from victor.providers.http_base import SDKProvider
from victor.providers.pricing import cost_usd

DEFAULT_MAX_TOKENS = 4096
STOP_REASONS: dict[str, DoneReason] = {
    "end_turn": "end", "stop_sequence": "end", "max_tokens": "length", "tool_use": "tool_calls",
}
TOOL_CHOICES = {"auto": {"type": "auto"}, "required": {"type": "any"}, "none": {"type": "none"}}


class AnthropicProvider(SDKProvider):
    """Claude models over the Messages API."""

    provider = "anthropic"
    key_env = "ANTHROPIC_API_KEY"
    default_url = "https://api.anthropic.com"
    sdk_name = "anthropic"
    client_class = "Anthropic"
    json_schema = False
    default_context_window = 200_000

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
        temperature = self.temperature(options)
        if temperature is not None:
            request["temperature"] = temperature
        if tools:
            request["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools
            ]
            request["tool_choice"] = TOOL_CHOICES[options.tool_choice]
        return request

    def _stream_once(self, request: dict[str, Any], tools: Sequence[ToolSpec]) -> Iterator[Event]:
        import httpx2  # the SDK's transport; a broken stream surfaces as its error, unwrapped

        anthropic = self.sdk()
        try:
            events = self.client.messages.create(**request)
        except anthropic.APIError as error:
            raise self.sdk_error(error) from None
        reader = _EventReader(self.tool_call)
        try:
            for event in events:
                yield from reader.read(event)
        except anthropic.APIStatusError as error:
            raise self.sdk_error(error) from None
        except (anthropic.APIError, httpx2.TransportError) as error:
            raise stream_cut_error(self.provider, str(error)) from None
        finally:
            events.close()
        if not reader.finished:
            raise stream_cut_error(self.provider)
        cost = cost_usd(self.provider, self.model, reader.input_tokens, reader.output_tokens, self.settings.pricing)
        yield Usage(input_tokens=reader.input_tokens, output_tokens=reader.output_tokens, cost_usd=cost)
        yield Done(STOP_REASONS.get(reader.stop_reason or "end_turn", "end"))


class _EventReader:
    """Follows one streamed message: text deltas go out at once, a tool_use block when it closes."""

    def __init__(self, tool_call: Callable[[str, str, str], ToolCall]) -> None:
        self.tool_call = tool_call  # (id, name, arguments as JSON text) -> ToolCall
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
            block = self.blocks.pop(event.index)
            yield self.tool_call(block["id"], block["name"], block["json"])
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            self.output_tokens = event.usage.output_tokens
        elif kind == "message_stop":
            self.finished = True


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
