"""The composition root: profile → router → provider → agent → tools → sandbox → audit.

Front ends (`victor run`, `victor tools run`, the TUI) build one Session and drive it:

    session = Session.open(workspace, profile=None, approval=None, offline=False,
                           approver=NoHuman(), resume=None, continue_last=False,
                           max_turns=None, no_tools=False,
                           selector=None)      # a ModelSelector; default: the router per turn
    for event in session.run(prompt, task=None, cancel=threading.Event()):
        ...                      # victor.agent.events: session, route, text, tool_call, approval,
                                 # tool_output, tool_result, usage, error, done (always last)
    session.switch_profile("embedded")   # the profile asked for from now on (the router may still
                                         # move a turn elsewhere, e.g. offline or sensitive data)
    session.undo()               # restore the last set of edits -> list of restored paths
    session.status()             # SessionStatus: profile, model, location, tokens, cost,
                                 # budget, sandbox, offline, approval mode
    session.close()

`run` is a generator: pull it from a worker thread and set `cancel` to stop it (a running shell
command is killed). Errors after the session is open arrive as `error` + `done` events; `open`
itself raises VictorError (bad profile, bad flag, unknown session).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from victor.agent import transcripts
from victor.agent.approval import Approver, NoHuman
from victor.agent.conversation import Conversation
from victor.agent.dispatch import ToolRunner
from victor.agent.events import AgentEvent, Finished, RouteChosen, SessionStarted
from victor.agent.loop import Agent, Limits, ModelSelector, Selection
from victor.agent.policy import ApprovalPolicy
from victor.agent.prompt import system_prompt
from victor.agent.undo import EditSnapshots
from victor.audit.chat import ChatTurn
from victor.config import LoadedConfig, load_config
from victor.errors import ProviderError
from victor.paths import find_repo_root
from victor.tools.base import ToolContext
from victor.tools.registry import all_tools
from victor.tools.workspace import Workspace


@dataclass(frozen=True)
class SessionStatus:
    id: str
    profile: str
    model: str
    location: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    budget: str
    sandbox: str
    offline: bool
    approval_mode: str


class Session:
    def __init__(self, loaded: LoadedConfig, workspace: Workspace, record: transcripts.SessionRecord,
                 approver: Approver, *, requested: str | None, offline: bool, limits: Limits, no_tools: bool,
                 selector: ModelSelector | None = None) -> None:
        from victor.audit import open_audit_log

        self.loaded, self.config = loaded, loaded.config
        self.workspace, self.record, self.offline = workspace, record, offline
        self.profile = record.profile
        self.requested_profile = requested  # an explicit choice the router must honour, or None
        self.audit = open_audit_log(self.config.audit, session_id=record.id)
        self.audit.record("session_start", workspace=str(workspace.root), profile=self.profile, offline=offline,
                          approval_mode=self.config.approvals.mode)
        self.audit.record("config_loaded", sources=loaded.sources, config_sha256=loaded.digest)
        self.snapshots = EditSnapshots(record.directory / "snapshots", workspace)
        self.toolbox = Toolbox(self.config, workspace, self.audit, approver, offline=offline,
                               before_write=self.snapshots.save)
        self.policy, self.runner = self.toolbox.policy, self.toolbox.runner
        self.conversation = Conversation(transcripts.load_messages(record))
        self.selector = selector or RoutedSelector(self)
        specs = [] if no_tools else [tool_spec(tool) for tool in offered_tools(self.policy, approver,
                                                                                self.toolbox.mcp_tools)]
        self.agent = Agent(selector=self.selector, runner=self.runner, tools=specs,
                           conversation=self.conversation, limits=limits, audit=self.audit)
        self._started = False
        self._last_route: RouteChosen | None = None

    @classmethod
    def open(cls, workspace: Path | None = None, *, profile: str | None = None, approval: str | None = None,
             offline: bool = False, approver: Approver | None = None, resume: str | None = None,
             continue_last: bool = False, max_turns: int | None = None, no_tools: bool = False,
             selector: ModelSelector | None = None) -> Session:
        root = find_repo_root(workspace)
        loaded = load_session_config(root, approval=approval, offline=offline)
        config = loaded.config
        if resume or continue_last:
            record = transcripts.load_session(resume) if resume else transcripts.latest_session(root)
            if profile:
                record.profile = loaded.profile_name(profile)
        else:
            record = transcripts.new_session(root, loaded.profile_name(profile))
        limits = Limits(max_turns=max_turns) if max_turns else Limits()
        return cls(loaded, Workspace(root, config.approvals.deny_paths), record, approver or NoHuman(),
                   requested=profile, offline=config.offline_mode, limits=limits, no_tools=no_tools,
                   selector=selector)

    @property
    def id(self) -> str:
        return self.record.id

    def run(self, prompt: str, *, task: str | None = None, cancel: threading.Event | None = None) -> Iterator[AgentEvent]:
        if not self._started:
            self._started = True
            yield SessionStarted(self.id, self.profile, str(self.workspace.root))
        self.selector.task = task
        self.conversation.set_system(system_prompt(self.workspace.root, tools=bool(self.agent.tools)))
        self.snapshots.begin()
        turn = ChatTurn(self.workspace.root, profile=self.profile)
        try:
            for event in self.agent.run(prompt, cancel):
                turn.see(event)
                if isinstance(event, RouteChosen):
                    self._last_route = event
                if isinstance(event, Finished):
                    transcripts.save_messages(self.record, self.conversation.messages)
                yield event
        finally:
            transcripts.save_messages(self.record, self.conversation.messages)
            self.audit.record("chat", success=turn.success, **turn.fields())

    def switch_profile(self, name: str) -> None:
        self.profile = self.requested_profile = self.loaded.profile_name(name)
        self.record.profile = self.profile
        self.audit.record("profile_switched", profile=self.profile)

    def undo(self) -> list[str]:
        restored = self.snapshots.undo_last()
        self.audit.record("undo", paths=restored)
        return restored

    def status(self) -> SessionStatus:
        from victor.routing.budget import check_budget

        from victor.audit.logfiles import log_path

        route = self._last_route
        profile = self.config.profiles[self.profile]
        budget = check_budget(self.config.budgets, self.profile, now=datetime.now().astimezone(),
                              audit_path=log_path(self.config.audit))
        return SessionStatus(
            id=self.id, profile=route.profile if route else self.profile,
            model=route.model if route else (profile.model or "embedded"),
            location=route.location if route else ("local" if profile.is_local else "cloud"),
            input_tokens=self.agent.input_tokens, output_tokens=self.agent.output_tokens,
            cost_usd=self.agent.cost_usd, budget=budget.describe(),
            sandbox=self.toolbox.sandbox_state(),
            offline=self.offline, approval_mode=self.policy.mode,
        )

    def close(self) -> None:
        self.selector.close()
        self.toolbox.close()
        self.audit.record("session_end", tokens=self.agent.input_tokens + self.agent.output_tokens,
                          cost_usd=self.agent.cost_usd)
        self.audit.close()



def load_session_config(root: Path, *, approval: str | None, offline: bool) -> LoadedConfig:
    """The configuration with the command line's --approval and --offline as the last layer; in
    offline mode the egress guard goes up before anything can connect."""
    overrides: dict[str, Any] = {}
    if approval:
        overrides["approvals"] = {"mode": approval}
    if offline:
        overrides["offline_mode"] = True
    loaded = load_config(root, overrides=overrides)
    if loaded.config.offline_mode:
        from victor.routing.egress import install_egress_guard

        install_egress_guard(loaded.config.network.trusted_hosts)
    return loaded


class Toolbox:
    """The tools as one path for the agent and `victor tools run`: policy, approver, runner, audit
    and the session's sandbox, opened on the first shell command."""

    def __init__(self, config: Any, workspace: Workspace, audit: Any, approver: Approver, *, offline: bool,
                 before_write: Any = None) -> None:
        from victor.secrets import redact

        self.config, self.workspace, self.audit, self.offline = config, workspace, audit, offline
        self.policy = ApprovalPolicy(config.approvals, workspace)
        self._sandbox: Any = None
        self.mcp = self._open_mcp()
        self.mcp_tools: list = self.mcp.tools if self.mcp else []
        context = ToolContext(workspace, sandbox=self._open_sandbox)
        self.runner = ToolRunner(tools=[*all_tools(), *self.mcp_tools], context=context, policy=self.policy,
                                 approver=approver, audit=audit, redact=redact, before_write=before_write,
                                 on_cancel=self._cancel_sandbox)

    def sandbox_state(self) -> str:
        return self._sandbox.describe() if self._sandbox else f"{self.config.sandbox.backend} (not started)"

    def close(self) -> None:
        if self.mcp is not None:
            self.mcp.close()
        if self._sandbox is not None:
            self._sandbox.close()

    def _open_mcp(self) -> Any:
        """The profile's MCP servers, started (each in its own container) when there are any."""
        if not self.config.mcp.servers:
            return None
        from victor.mcp.servers import MCPServers
        from victor.ui.output import warn

        return MCPServers(self.config, self.workspace.root, offline=self.offline, audit=self.audit,
                          masked=self._masked, notify=warn).start()

    def _open_sandbox(self) -> Any:
        if self._sandbox is None:
            from victor.sandbox.factory import open_sandbox

            self._sandbox = open_sandbox(self.config.sandbox, self.workspace.root, offline=self.offline,
                                         audit=self.audit, masked=self._masked)
        return self._sandbox

    def _masked(self) -> list[str]:
        """The protected files the sandbox hides: all but those the policy lets read_file read unasked."""
        from victor.tools.registry import get_tool

        reader = get_tool("read_file")
        return [path for path in self.workspace.protected_files()
                if self.policy.decide(reader, {"path": path}).verdict != "allow"]

    def _cancel_sandbox(self) -> None:
        if self._sandbox is not None:
            self._sandbox.cancel()


def offered_tools(policy: ApprovalPolicy, approver: Approver, extra: list | None = None) -> list:
    """Every tool (with `extra`: the MCP servers') for a human; headless, only tools some call of
    which could run unattended."""
    tools = [*all_tools(), *(extra or [])]
    return tools if approver.interactive else [tool for tool in tools if policy.may_run_unattended(tool)]


def tool_spec(tool: Any) -> Any:
    from victor.providers.base import ToolSpec

    return ToolSpec(tool.name, tool.description, tool.parameters)


class RoutedSelector:
    """The agent's ModelSelector: each turn asks the router about the whole request (system prompt,
    every message, tool result and tool-call argument) and the files the session has touched, then
    builds (and caches) the provider. The session's data class only rises, and is kept with its record."""

    def __init__(self, session: Session) -> None:
        from victor.routing import Router
        from victor.routing.data_classes import restored
        from victor.routing.exposure import ExposedFiles

        self.session = session
        self.router = Router(session.loaded, audit=session.audit)
        self.task: str | None = None
        self._providers: dict[str, Any] = {}
        self._exposed = ExposedFiles(session.workspace.root)
        kept = session.record.data_class
        self.data_class = restored(kept, session.config.data_classes) if kept else None

    def select(self, conversation: Conversation) -> Selection:
        from victor.routing import RouteRequest
        from victor.routing.data_classes import saved
        from victor.routing.exposure import request_parts

        prompt, context = request_parts(conversation.messages)
        decision = self.router.decide(RouteRequest(prompt, task=self.task, profile=self.session.requested_profile,
                                                   context=context, paths=self._exposed.paths(conversation.messages),
                                                   session_class=self.data_class))
        if decision.data_class != self.data_class:
            self.data_class = decision.data_class
            self.session.record.data_class = saved(decision.data_class)
            transcripts.save_record(self.session.record)
        return self._selection(decision)

    def fallback(self, selection: Selection, error: ProviderError) -> Selection | None:
        decision = self.router.fallback(selection.decision, error)
        return self._selection(decision) if decision is not None else None

    def _selection(self, decision: Any) -> Selection:
        from victor.providers.registry import build_provider
        from victor.ui.output import warn

        if decision.profile not in self._providers:
            profile = self.session.loaded.profile(decision.profile)
            self._providers[decision.profile] = build_provider(decision.profile, profile, offline=self.session.offline,
                                                               audit=self.session.audit, notify=warn)
        provider = self._providers[decision.profile]
        route = RouteChosen(decision.profile, decision.provider, decision.model or provider.model, decision.location,
                            [reason.detail for reason in decision.reasons])
        prepare = decision.redactor.redact if decision.redactor is not None else (lambda text: text)
        return Selection(provider, route, decision.task, prepare, decision)

    def close(self) -> None:
        for provider in self._providers.values():
            provider.close()
