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
from victor.agent.events import AgentEvent, DoneEvent, Location, RouteEvent, SessionEvent
from victor.agent.loop import Agent, Limits, ModelSelector
from victor.agent.prompt import system_prompt
from victor.agent.toolbox import Toolbox, offered_tools, tool_spec
from victor.agent.undo import EditSnapshots
from victor.audit import open_audit_log
from victor.audit.chat import ChatTurn
from victor.config import LoadedConfig, load_config
from victor.config.approval_modes import ApprovalMode
from victor.paths import find_repo_root
from victor.routing.budget import check_budget
from victor.routing.egress import install_egress_guard
from victor.routing.selector import RoutedSelector
from victor.tools.workspace import Workspace
from victor.ui.output import warn


@dataclass(frozen=True)
class SessionStatus:
    id: str
    profile: str
    model: str
    location: Location
    input_tokens: int
    output_tokens: int
    cost_usd: float
    budget: str
    sandbox: str
    offline: bool
    approval_mode: ApprovalMode


class Session:
    def __init__(self, loaded: LoadedConfig, workspace: Workspace, record: transcripts.SessionRecord,
                 approver: Approver, *, requested: str | None, offline: bool, limits: Limits, no_tools: bool,
                 selector: ModelSelector | None = None) -> None:
        self.loaded, self.config = loaded, loaded.config
        self.workspace, self.record, self.offline = workspace, record, offline
        self.profile = record.profile
        self.audit = open_audit_log(self.config.audit, session_id=record.id)
        self.audit.record("session_start", workspace=str(workspace.root), profile=self.profile, offline=offline,
                          approval_mode=self.config.approvals.mode)
        self.audit.record("config_loaded", sources=loaded.sources, config_sha256=loaded.digest)
        self.snapshots = EditSnapshots(record.directory / "snapshots", workspace)
        self.toolbox = Toolbox(self.config, workspace, self.audit, approver, offline=offline, notify=warn,
                               before_write=self.snapshots.save)
        self.policy, self.runner = self.toolbox.policy, self.toolbox.runner
        self.conversation = Conversation(transcripts.load_messages(record))
        self.selector = selector or RoutedSelector(loaded, record, self.audit, workspace=workspace.root,
                                                   offline=offline, notify=warn, profile=requested)
        specs = [] if no_tools else [tool_spec(tool) for tool in offered_tools(self.policy, approver,
                                                                                self.toolbox.mcp_tools)]
        self.agent = Agent(selector=self.selector, runner=self.runner, tools=specs,
                           conversation=self.conversation, limits=limits, audit=self.audit)
        self.agent.fit_tools = self.toolbox.budget.fit if self.toolbox.budget else None
        self._started = False
        self._last_route: RouteEvent | None = None

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
            yield SessionEvent(self.id, self.profile, str(self.workspace.root))
        self.selector.task = task
        self.conversation.set_system(system_prompt(self.workspace.root, tools=bool(self.agent.tools)))
        self.snapshots.begin()
        turn = ChatTurn(self.workspace.root, profile=self.profile)
        try:
            for event in self.agent.run(prompt, cancel):
                turn.see(event)
                if isinstance(event, RouteEvent):
                    self._last_route = event
                if isinstance(event, DoneEvent):
                    transcripts.save_messages(self.record, self.conversation.messages)
                yield event
        finally:
            transcripts.save_messages(self.record, self.conversation.messages)
            self.audit.record("chat", success=turn.success, **turn.fields())

    def switch_profile(self, name: str) -> None:
        self.profile = self.selector.profile = self.record.profile = self.loaded.profile_name(name)
        self.audit.record("profile_switched", profile=self.profile)

    def undo(self) -> list[str]:
        restored = self.snapshots.undo_last()
        self.audit.record("undo", paths=restored)
        return restored

    def status(self) -> SessionStatus:
        route = self._last_route
        profile = self.config.profiles[self.profile]
        budget = check_budget(self.config.budgets, self.profile, now=datetime.now().astimezone(), audit=self.audit)
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
        install_egress_guard(loaded.config.network.trusted_hosts)
    return loaded
