"""What the agent loop emits. Front ends (the `--json` stream, the Rich console, the TUI) render
these; the core never touches the terminal. Each class is named after its wire name (`type` in
shared/cli.md's event stream) plus "Event"; field names follow the stream."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from victor.agent.approval import Decision

Location = Literal["local", "cloud"]
DecidedBy = Literal["policy", "user", "no-human"]
StopReason = Literal["done", "max_turns", "token_budget", "cancelled", "denied", "error"]


@dataclass(frozen=True)
class AgentEvent:
    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}

    type = "event"


@dataclass(frozen=True)
class SessionEvent(AgentEvent):
    type = "session"
    id: str
    profile: str
    workspace: str


@dataclass(frozen=True)
class RouteEvent(AgentEvent):
    type = "route"
    profile: str
    provider: str
    model: str
    location: Location
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TextEvent(AgentEvent):
    type = "text"
    delta: str


@dataclass(frozen=True)
class ToolCallEvent(AgentEvent):
    type = "tool_call"
    id: str
    name: str
    args: dict[str, Any]  # secrets redacted


@dataclass(frozen=True)
class ToolOutputEvent(AgentEvent):
    """Live output of a running tool (a shell command), for cards that show it as it comes."""

    type = "tool_output"
    id: str
    chunk: str


@dataclass(frozen=True)
class ApprovalEvent(AgentEvent):
    type = "approval"
    id: str
    decision: Decision
    by: DecidedBy


@dataclass(frozen=True)
class ToolResultEvent(AgentEvent):
    type = "tool_result"
    id: str
    ok: bool
    summary: str
    exit_code: int | None = None
    duration_ms: int = 0


@dataclass(frozen=True)
class UsageEvent(AgentEvent):
    type = "usage"
    input_tokens: int
    output_tokens: int
    cost_usd: float


@dataclass(frozen=True)
class ErrorEvent(AgentEvent):
    type = "error"
    kind: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class DoneEvent(AgentEvent):
    type = "done"
    ok: bool
    turns: int
    reason: StopReason = "done"
    exit_code: int = 0  # the exit code `victor run` ends with (shared/cli.md)
