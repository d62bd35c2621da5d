"""The router's inputs and output: RouteRequest (what would be sent), RouteDecision (where it goes)
and Reason (one line of why). Everything here is safe to print: no secret value ever lands in a
reason, only finding types and places."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from victor.agent.events import Location
from victor.routing.data_classes import Classification
from victor.routing.redaction import RequestRedactor
from victor.routing.sensitivity import Sensitivity


@dataclass
class RouteRequest:
    """One turn's request. `prompt` is the latest user message (what the task classifier reads);
    `files` maps a repository-relative path to content that would be sent (`route --file`); `context`
    is every other part that would be sent, as (where, text): the system prompt, earlier messages,
    tool results, tool-call arguments. `paths` are files the session has read, written or named
    (their contents, if any, are in `context`): classified, not re-read. `session_class` is the
    class the session reached earlier: a decision is never less sensitive. `profile` is an explicit
    --profile; `task` an explicit --task."""

    prompt: str
    files: dict[str, str] = field(default_factory=dict)
    task: str | None = None
    profile: str | None = None
    context: list[tuple[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    session_class: Classification | None = None


@dataclass(frozen=True)
class Reason:
    kind: str  # task | profile | offline | sensitivity | data_class | budget | health | fallback
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail}


@dataclass
class RouteDecision:
    profile: str
    provider: str
    model: str | None
    location: Location
    task: str
    reasons: list[Reason]
    sensitivity: Sensitivity
    data_class: Classification
    redactor: RequestRedactor | None = None  # under the `redact` policy: send redactor.redact(text)
    tried: list[str] = field(default_factory=list)  # profiles already used this turn (for fallback)

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "provider": self.provider,
            "model": self.model,
            "location": self.location,
            "task": self.task,
            "redact": self.redactor is not None,
            "data_class": self.data_class.level,
            "findings": self.sensitivity.as_list(),
            "reasons": [reason.as_dict() for reason in self.reasons],
        }
