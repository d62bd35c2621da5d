"""What the agent loop emits. Front ends (the `--json` stream, the Rich console, the TUI) render
these; the core never touches the terminal. Field names follow shared/cli.md's event stream."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class AgentEvent:
    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}

    type = "event"


@dataclass(frozen=True)
class SessionStarted(AgentEvent):
    type = "session"
    id: str
    profile: str
    workspace: str


@dataclass(frozen=True)
class RouteChosen(AgentEvent):
    type = "route"
    profile: str
    provider: str
    model: str
    location: str  # "local" | "cloud"
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TextChunk(AgentEvent):
    type = "text"
    delta: str


@dataclass(frozen=True)
class ToolCallStarted(AgentEvent):
    type = "tool_call"
    id: str
    name: str
    args: dict[str, Any]  # secrets redacted


@dataclass(frozen=True)
class ToolOutput(AgentEvent):
    """Live output of a running tool (a shell command), for cards that show it as it comes."""

    type = "tool_output"
    id: str
    chunk: str


@dataclass(frozen=True)
class ApprovalDecided(AgentEvent):
    type = "approval"
    id: str
    decision: str  # "approve" | "deny" | "always"
    by: str  # "policy" | "user" | "no-human"


@dataclass(frozen=True)
class ToolFinished(AgentEvent):
    type = "tool_result"
    id: str
    ok: bool
    summary: str
    exit_code: int | None = None
    duration_ms: int = 0


@dataclass(frozen=True)
class UsageReported(AgentEvent):
    type = "usage"
    input_tokens: int
    output_tokens: int
    cost_usd: float


@dataclass(frozen=True)
class ErrorRaised(AgentEvent):
    type = "error"
    kind: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class Finished(AgentEvent):
    type = "done"
    ok: bool
    turns: int
    reason: str = "done"  # "done" | "max_turns" | "token_budget" | "cancelled" | "denied" | "error"
    exit_code: int = 0  # the exit code `victor run` ends with (shared/cli.md)
