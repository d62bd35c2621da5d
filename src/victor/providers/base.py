"""The provider contract: one narrow `stream()` that every backend implements.

A provider turns a conversation (messages plus tool specs) into a stream of events: text deltas,
complete tool calls, one usage record and a final Done. Nothing here imports an SDK.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Union

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call; `parameters` is a JSON schema object."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class ToolCall:
    """A complete, parsed tool call. `id` is the backend's id, or one Victor made up."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass
class Message:
    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None  # role == "tool": the call this answers
    name: str | None = None  # role == "tool": the tool's name


@dataclass(frozen=True)
class StreamOptions:
    temperature: float | None = None
    max_tokens: int | None = None
    tool_choice: Literal["auto", "required", "none"] = "auto"


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cost_usd: float = 0.0


@dataclass(frozen=True)
class Done:
    stop_reason: Literal["end", "tool_calls", "length", "cancelled"] = "end"


Event = Union[TextDelta, ToolCall, Usage, Done]


@dataclass(frozen=True)
class Capabilities:
    native_tools: bool
    json_schema: bool
    context_window: int


class Provider(Protocol):
    """A configured backend. `profile` is the profile name; `provider` the backend type."""

    profile: str
    provider: str
    model: str
    capabilities: Capabilities

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        """Yield TextDelta and ToolCall events, then one Usage, then Done. Raises ProviderError."""
        ...

    def list_models(self) -> list[str]: ...

    def close(self) -> None: ...


LOCAL_SERVER_TEMPERATURE = 0.2  # a local server's own default (0.8 for llama.cpp's) makes small models erratic


def new_call_id() -> str:
    """An id for a tool call whose backend gave none (constrained decoding, repaired text)."""
    import uuid

    return f"call_{uuid.uuid4().hex[:16]}"


def reply_token_limit(requested: int | None, configured: int | None) -> int | None:
    """The reply's token limit: what the caller asks for, never above the profile's `max_tokens`."""
    limits = [limit for limit in (requested, configured) if limit]
    return min(limits) if limits else None
