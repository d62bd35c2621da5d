"""The provider contract: one narrow `stream()` that every backend implements, and what a backend
class declares about itself (`Backend`) so that the registry can derive the rest.

A provider turns a conversation (messages plus tool specs) into a stream of events: text deltas,
complete tool calls, one usage record and a final Done. Nothing here imports an SDK.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from victor.config.schema import ProfileConfig

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


DoneReason = Literal["end", "tool_calls", "length", "cancelled"]  # why a reply ended


@dataclass(frozen=True)
class Done:
    stop_reason: DoneReason = "end"


Event = TextDelta | ToolCall | Usage | Done


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

    @property
    def capabilities(self) -> Capabilities:
        """What the backend can do; a fleet asks its servers, so it may only be read."""
        ...

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        """Yield TextDelta and ToolCall events, then one Usage, then Done. Raises ProviderError."""
        ...

    def list_models(self) -> list[str]: ...

    def close(self) -> None: ...


# Where a backend's requests go when the profile names no server: nowhere (in-process), a server on
# this machine, or a cloud API. A profile's own base_url is judged by its host (ProfileConfig.is_local).
Locality = Literal["in-process", "local", "cloud"]


@dataclass(frozen=True)
class Health:
    """`victor doctor`'s verdict on one profile's backend, found without asking the model anything."""

    ok: bool
    detail: str
    hint: str | None = None


class Backend(Protocol):
    """A backend class, as `registry.py` sees it: each declares these once, next to its code."""

    key_env: str | None  # the environment variable that holds its API key; None: it takes none
    locality: Locality
    fleet: bool  # base_url may list several servers of one model

    def from_profile(self, profile_name: str, profile: ProfileConfig) -> Provider:
        """The configured provider; ConfigError for a missing key, model file or extra."""
        ...

    def probe(self, profile: ProfileConfig) -> Health:
        """Can this profile run here? Never raises; short timeouts."""
        ...


LOCAL_TEMPERATURE = 0.2  # a local model's own default (0.8 in llama.cpp) makes small models erratic


def pick_temperature(requested: float | None, configured: float | None, default: float | None) -> float | None:
    """The temperature of one call: the caller's, else the profile's, else the backend's default
    (None: the server's own)."""
    for temperature in (requested, configured):
        if temperature is not None:
            return temperature
    return default


def decode_arguments(text: str) -> dict[str, Any]:
    """A tool call's arguments sent as JSON text (empty: none). ValueError saying what is wrong with
    them: "not valid JSON", "not a JSON object"."""
    if not text.strip():
        return {}
    try:
        arguments = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("not valid JSON") from None
    if not isinstance(arguments, dict):
        raise ValueError("not a JSON object")
    return arguments


def new_call_id() -> str:
    """An id for a tool call whose backend gave none (constrained decoding, repaired text)."""
    import uuid

    return f"call_{uuid.uuid4().hex[:16]}"


def reply_token_limit(requested: int | None, configured: int | None) -> int | None:
    """The reply's token limit: what the caller asks for, never above the profile's `max_tokens`."""
    limits = [limit for limit in (requested, configured) if limit]
    return min(limits) if limits else None


def function_tool(tool: ToolSpec) -> dict[str, Any]:
    """A tool in OpenAI's function-tool shape, which Ollama and chat templates take too."""
    return {
        "type": "function",
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }
