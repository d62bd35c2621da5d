"""`RoutedSelector`: the agent's ModelSelector with the router behind it. Each turn asks the router
about the whole request (system prompt, every message, tool result and tool-call argument) and the
files the session has touched, then builds (and caches) the provider. The session's data class only
rises, and is kept with its record; `profile` is an explicit choice (--profile, /profile) the
router must honour."""

from __future__ import annotations

from pathlib import Path

from victor.agent import transcripts
from victor.agent.conversation import Conversation
from victor.agent.events import RouteEvent
from victor.agent.loop import Selection
from victor.audit.sink import AuditSink
from victor.config import LoadedConfig
from victor.errors import ProviderError
from victor.notify import Notify
from victor.providers.base import Provider
from victor.providers.registry import build_provider
from victor.routing.data_classes import restored, saved
from victor.routing.decision import RouteDecision, RouteRequest
from victor.routing.exposure import ExposedFiles, request_parts
from victor.routing.router import Router


class RoutedSelector:
    def __init__(self, loaded: LoadedConfig, record: transcripts.SessionRecord, audit: AuditSink, *,
                 workspace: Path, offline: bool, notify: Notify, profile: str | None = None) -> None:
        self.loaded, self.record, self.audit, self.offline, self.notify = loaded, record, audit, offline, notify
        self.router = Router(loaded, audit=audit, notify=notify)
        self.task: str | None = None
        self.profile = profile
        self._providers: dict[str, Provider] = {}
        self._exposed = ExposedFiles(workspace)
        kept = record.data_class
        self.data_class = restored(kept, loaded.config.data_classes) if kept else None

    def select(self, conversation: Conversation) -> Selection:
        prompt, context = request_parts(conversation.messages)
        decision = self.router.decide(RouteRequest(prompt, task=self.task, profile=self.profile, context=context,
                                                   paths=self._exposed.paths(conversation.messages),
                                                   session_class=self.data_class))
        if decision.data_class != self.data_class:
            self.data_class = decision.data_class
            self.record.data_class = saved(decision.data_class)
            transcripts.save_record(self.record)
        return self._selection(decision)

    def fallback(self, selection: Selection, error: ProviderError) -> Selection | None:
        decision = self.router.fallback(selection.decision, error) if selection.decision else None
        return self._selection(decision) if decision is not None else None

    def close(self) -> None:
        for provider in self._providers.values():
            provider.close()

    def _selection(self, decision: RouteDecision) -> Selection:
        if decision.profile not in self._providers:
            profile = self.loaded.profile(decision.profile)
            self._providers[decision.profile] = build_provider(decision.profile, profile, offline=self.offline,
                                                               audit=self.audit, notify=self.notify)
        provider = self._providers[decision.profile]
        route = RouteEvent(decision.profile, decision.provider, decision.model or provider.model, decision.location,
                           [reason.detail for reason in decision.reasons])
        prepare = decision.redactor.redact if decision.redactor is not None else (lambda text: text)
        return Selection(provider, route, decision.task, prepare, decision)
