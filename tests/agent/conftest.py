"""Agent fixtures: a repository, and a harness that runs the real loop, tools, policy, snapshots and
audit log with a scripted provider standing in for the model."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.scripted_provider import ScriptedProvider
from victor import paths
from victor.agent.approval import NoHuman
from victor.agent.conversation import Conversation
from victor.agent.events import RouteEvent
from victor.agent.loop import Agent, Limits, Selection
from victor.agent.prompt import system_prompt
from victor.agent.toolbox import Toolbox, offered_tools, tool_spec
from victor.agent.undo import EditSnapshots
from victor.audit import open_audit_log
from victor.config import load_config
from victor.notify import to_stderr
from victor.tools.workspace import Workspace


class FixedSelector:
    """Always the scripted provider; `fallbacks` are used in turn on a retryable ProviderError."""

    task: str | None = None
    profile: str | None = None

    def __init__(self, provider: Any, *fallbacks: Any) -> None:
        self.chain = [provider, *fallbacks]

    def select(self, conversation: Conversation) -> Selection:
        return self._selection(self.chain[0])

    def fallback(self, selection: Selection, error: Exception) -> Selection | None:
        index = self.chain.index(selection.provider) + 1
        return self._selection(self.chain[index]) if index < len(self.chain) else None

    def close(self) -> None:
        pass

    def _selection(self, provider: Any) -> Selection:
        return Selection(provider, RouteEvent(provider.profile, provider.provider, provider.model, "local", ["test"]))


@dataclass
class Harness:
    agent: Agent
    provider: ScriptedProvider
    snapshots: EditSnapshots
    root: Path

    def run(self, prompt: str = "do it", **kwargs: Any) -> list:
        self.snapshots.begin()
        return list(self.agent.run(prompt, **kwargs))

    def audit(self, action: str) -> list[dict]:
        lines = paths.audit_log_file().read_text().splitlines()
        return [record for record in map(json.loads, lines) if record["action"] == action]


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "README.md").write_text("# Demo\n\nA demo project.\n")
    (git_repo / "app.py").write_text("def answer():\n    return 41\n")
    (git_repo / ".env").write_text("TOKEN=abc\n")
    subprocess.run(["git", "add", "README.md", "app.py"], cwd=git_repo, check=True)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=git_repo, check=True)
    return git_repo


@pytest.fixture
def harness(repo: Path, tmp_path: Path):
    def build(scripts: list, *, mode: str = "ask", approver: Any = None, rules: dict | None = None,
              limits: Limits | None = None, provider: Any = None, fallbacks: tuple = (),
              sandbox: str | None = None) -> Harness:
        overrides: dict[str, Any] = {"approvals": {"mode": mode, "tools": rules or {}}}
        if sandbox:
            overrides["sandbox"] = {"backend": sandbox}
        config = load_config(repo, overrides=overrides).config
        audit = open_audit_log(config.audit, session_id="test-session")
        workspace = Workspace(repo, config.approvals.deny_paths)
        snapshots = EditSnapshots(tmp_path / "snapshots", workspace)
        approver = approver or NoHuman()
        toolbox = Toolbox(config, workspace, audit, approver, offline=True, notify=to_stderr,
                          before_write=snapshots.save)
        provider = provider or ScriptedProvider(scripts)
        conversation = Conversation()
        conversation.set_system(system_prompt(repo))
        specs = [tool_spec(tool) for tool in offered_tools(toolbox.policy, approver)]
        agent = Agent(selector=FixedSelector(provider, *fallbacks), runner=toolbox.runner, tools=specs,
                      conversation=conversation, limits=limits or Limits(), audit=audit)
        return Harness(agent, provider, snapshots, repo)

    return build
