"""The conversation: the message history, a token estimate, and fitting it into a context window by
trimming old tool output first and dropping the oldest exchanges last. The full history is kept;
`fitted()` returns the view that is sent, prepared (redacted) whole before anything is trimmed, so a
cut can never leave half a secret that the redactor no longer recognises."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from victor.providers.base import Message, ToolCall

CHARS_PER_TOKEN = 3.5
KEEP_RECENT_TOOL_RESULTS = 2
TRIMMED_HEAD_CHARS = 300


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1


def message_tokens(message: Message) -> int:
    calls = sum(estimate_tokens(call.name + json.dumps(call.arguments)) for call in message.tool_calls)
    return estimate_tokens(message.content) + calls + 4


@dataclass
class Conversation:
    messages: list[Message] = field(default_factory=list)

    def add(self, message: Message) -> None:
        self.messages.append(message)

    def set_system(self, prompt: str) -> None:
        system = Message(role="system", content=prompt)
        if self.messages and self.messages[0].role == "system":
            self.messages[0] = system
        else:
            self.messages.insert(0, system)

    def add_tool_result(self, call: ToolCall, content: str) -> None:
        self.add(Message(role="tool", content=content, tool_call_id=call.id, name=call.name))

    def tokens(self) -> int:
        return sum(message_tokens(message) for message in self.messages)

    def fitted(self, budget_tokens: int, prepare: Callable[[str], str] = str) -> list[Message]:
        """The messages to send, each passed whole through `prepare` first: within `budget_tokens` if
        at all possible, history intact otherwise."""
        sent = [prepared(message, prepare) for message in self.messages]
        if _total(sent) <= budget_tokens:
            return sent
        tool_indexes = [index for index, message in enumerate(sent) if message.role == "tool"]
        for index in tool_indexes[:-KEEP_RECENT_TOOL_RESULTS]:
            sent[index].content = _trimmed(sent[index].content)
            if _total(sent) <= budget_tokens:
                return sent
        sent = _drop_oldest_exchanges(sent, budget_tokens)
        if _total(sent) > budget_tokens:
            for index in (i for i, message in enumerate(sent) if message.role == "tool"):
                sent[index].content = _trimmed(sent[index].content)
        return sent


def prepared(message: Message, prepare: Callable[[str], str]) -> Message:
    """A copy of `message` with `prepare` applied to its text and to every string in its tool calls'
    arguments (keys too: the guard scans each of these strings on its own, and so must redact them)."""
    calls = [ToolCall(call.id, call.name, _prepare_value(call.arguments, prepare)) for call in message.tool_calls]
    return Message(message.role, prepare(message.content), calls, message.tool_call_id, message.name)


def _prepare_value(value: Any, prepare: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return prepare(value)
    if isinstance(value, dict):
        return {_prepare_value(key, prepare): _prepare_value(item, prepare) for key, item in value.items()}
    if isinstance(value, list):
        return [_prepare_value(item, prepare) for item in value]
    return value


def _total(messages: list[Message]) -> int:
    return sum(message_tokens(message) for message in messages)


def _trimmed(content: str) -> str:
    if len(content) <= TRIMMED_HEAD_CHARS * 2:
        return content
    return content[:TRIMMED_HEAD_CHARS] + f"\n[… {len(content) - TRIMMED_HEAD_CHARS} characters of old tool output trimmed]"


def _drop_oldest_exchanges(messages: list[Message], budget_tokens: int) -> list[Message]:
    """Drop whole assistant+tool exchanges after the system prompt and the first user message, oldest
    first, so no tool result is left without the call it answers."""
    head = [message for message in messages[:2] if message.role in ("system", "user")]
    rest = messages[len(head) :]
    while rest and _total(head + rest) > budget_tokens:
        cut = 1
        while cut < len(rest) and rest[cut].role == "tool":
            cut += 1
        if cut >= len(rest):
            break
        rest = rest[cut:]
    if len(rest) < len(messages) - len(head):
        head.append(Message(role="user", content="[earlier steps were dropped to fit the context window]"))
    return head + rest
