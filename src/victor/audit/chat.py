"""The enterprise guide's one-record-per-interaction view: a `chat` record for each user turn, beside
the fine-grained records (route, model_request, tool_call…). `ChatTurn` watches a turn's agent events
and gives the record's fields: the tools called (names, in order), the workspace files the calls read
or wrote (as routing/exposure.py reads paths from tool arguments; calls the policy denied left them
untouched), the provider and model of the turn's last route, and whether it succeeded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from victor.agent.events import AgentEvent, ApprovalEvent, DoneEvent, RouteEvent, ToolCallEvent
from victor.providers.base import Message, ToolCall
from victor.routing.exposure import ExposedFiles


class ChatTurn:
    def __init__(self, root: Path, *, profile: str) -> None:
        self._exposed = ExposedFiles(root)
        self._calls: dict[str, ToolCall] = {}
        self._denied: set[str] = set()
        self.tool_calls: list[str] = []
        self.route: RouteEvent | None = None
        self.profile = profile
        self.success = False

    def see(self, event: AgentEvent) -> None:
        if isinstance(event, ToolCallEvent):
            self.tool_calls.append(event.name)
            self._calls[event.id] = ToolCall(event.id, event.name, event.args)
        elif isinstance(event, ApprovalEvent) and event.decision == "deny":
            self._denied.add(event.id)
        elif isinstance(event, RouteEvent):
            self.route = event
        elif isinstance(event, DoneEvent):
            self.success = event.ok

    def fields(self) -> dict[str, Any]:
        calls = [call for key, call in self._calls.items() if key not in self._denied]
        files = self._exposed.paths([Message(role="assistant", tool_calls=calls)]) if calls else []
        route = self.route
        return {"profile": route.profile if route else self.profile, "provider": route.provider if route else None,
                "model": route.model if route else None, "tool_calls": self.tool_calls, "files_accessed": files}
