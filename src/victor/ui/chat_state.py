"""What a chat front end shows besides the transcript: profile, model, route, tokens, cost, budget,
sandbox, offline. One object, fed by `Session.status()` and by agent events; the TUI and the
line-mode console both render it, so they agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from victor.agent.approval import Approver
from victor.agent.events import AgentEvent, Location, RouteEvent, SessionEvent, UsageEvent

if TYPE_CHECKING:  # the session (every layer) loads off the UI thread, once the front end is up
    from victor.config.schema import ProfileConfig
    from victor.session import Session, SessionStatus

SessionOpener = Callable[[Approver, "str | None"], "Session"]  # (an Approver, a session id to resume) -> a Session
STATUS_FIELDS = ("profile", "model", "location", "input_tokens", "output_tokens", "cost_usd", "budget", "sandbox",
                 "offline")


@dataclass
class ChatState:
    profile: str = ""
    model: str = ""
    location: Location | Literal[""] = ""  # "" until a profile is known
    route_reasons: list[str] = field(default_factory=list)  # why the badge shows what it shows
    route: RouteEvent | None = None  # the last routed request
    session_id: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0  # this session
    budget: str = ""  # the budget's own words: spent today / this month against the limits
    sandbox: str = ""
    offline: bool = False
    task: str | None = None  # the task type pinned with /task

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def observe(self, event: AgentEvent) -> None:
        """Keep up during a turn; `load_status` corrects everything when it ends."""
        if isinstance(event, SessionEvent):
            self.session_id = event.id
        elif isinstance(event, RouteEvent):
            self.profile, self.model, self.location = event.profile, event.model, event.location
            self.route_reasons, self.route = list(event.reasons), event
        elif isinstance(event, UsageEvent):
            self.input_tokens += event.input_tokens
            self.output_tokens += event.output_tokens
            self.cost_usd += event.cost_usd

    def load_status(self, status: SessionStatus) -> None:
        for name in STATUS_FIELDS:
            setattr(self, name, getattr(status, name))
        self.session_id = status.id

    def switched(self, name: str, profile: ProfileConfig) -> None:
        """After `/profile NAME`: show the chosen profile until a request is routed."""
        self.profile, self.model = name, profile.model or "embedded"
        self.location = "local" if profile.is_local else "cloud"
        self.route_reasons = [f"profile '{name}' chosen with /profile"]

    def model_line(self) -> str:
        model = self.profile if self.model in ("", self.profile) else f"{self.profile} · {self.model}"
        return model + (f" · task {self.task}" if self.task else "")

    def cost_line(self) -> str:
        """Spending today against the budget, in the budget's words, or this session's cost."""
        if self.budget and not self.budget.startswith("no budget"):
            return self.budget
        return f"${self.cost_usd:.2f} this session, no budget set"
