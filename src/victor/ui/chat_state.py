"""What a chat front end shows besides the transcript: profile, model, route, tokens, cost, budget,
sandbox, offline. One object, fed by `Session.status()` and by agent events; the TUI and the
line-mode console both render it, so they agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from victor.agent.events import AgentEvent, RouteChosen, SessionStarted, UsageReported

SessionOpener = Callable[[Any, "str | None"], Any]  # (an Approver, a session id to resume) -> a Session
STATUS_FIELDS = ("profile", "model", "location", "input_tokens", "output_tokens", "cost_usd", "budget", "sandbox",
                 "offline")


@dataclass
class ChatState:
    profile: str = ""
    model: str = ""
    location: str = ""  # "local" | "cloud"
    route_reasons: list[str] = field(default_factory=list)  # why the badge shows what it shows
    route: RouteChosen | None = None  # the last routed request
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
        if isinstance(event, SessionStarted):
            self.session_id = event.id
        elif isinstance(event, RouteChosen):
            self.profile, self.model, self.location = event.profile, event.model, event.location
            self.route_reasons, self.route = list(event.reasons), event
        elif isinstance(event, UsageReported):
            self.input_tokens += event.input_tokens
            self.output_tokens += event.output_tokens
            self.cost_usd += event.cost_usd

    def load_status(self, status: Any) -> None:
        """Take a `victor.session.SessionStatus`."""
        for name in STATUS_FIELDS:
            setattr(self, name, getattr(status, name))
        self.session_id = status.id

    def switched(self, name: str, profile: Any) -> None:
        """After `/profile NAME`: show the chosen profile (a ProfileConfig) until a request is routed."""
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
