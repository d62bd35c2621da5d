"""The tools as one path for the agent and `victor tools run`: the approval policy, the approver, the
runner, the audit log, the profile's MCP servers and the session's sandbox (opened on the first shell
command); and what the model is offered of them (`offered_tools`, `tool_spec`)."""

from __future__ import annotations

from collections.abc import Callable

from victor.agent.approval import Approver
from victor.agent.dispatch import ToolRunner
from victor.agent.policy import ApprovalPolicy
from victor.audit.sink import AuditSink
from victor.config.schema import Config
from victor.mcp.budget import ToolBudget
from victor.mcp.servers import MCPServers
from victor.notify import Notify
from victor.providers.base import ToolSpec
from victor.sandbox.base import Sandbox
from victor.sandbox.factory import open_sandbox
from victor.secrets import redact
from victor.tools.base import Tool, ToolContext
from victor.tools.registry import all_tools, get_tool
from victor.tools.workspace import Workspace


class Toolbox:
    def __init__(self, config: Config, workspace: Workspace, audit: AuditSink, approver: Approver, *, offline: bool,
                 notify: Notify, before_write: Callable[[str], None] | None = None) -> None:
        self.config, self.workspace, self.audit, self.offline, self.notify = config, workspace, audit, offline, notify
        self.policy = ApprovalPolicy(config.approvals, workspace)
        self._sandbox: Sandbox | None = None
        self.mcp = self._open_mcp()
        self.mcp_tools: list[Tool] = self.mcp.tools if self.mcp else []
        self.budget = ToolBudget() if self.mcp_tools else None  # offers the MCP tools that fit each window
        extra = [*self.mcp_tools, self.budget.search] if self.budget else []
        context = ToolContext(workspace, sandbox=self._open_sandbox)
        self.runner = ToolRunner(tools=[*all_tools(), *extra], context=context, policy=self.policy,
                                 approver=approver, audit=audit, redact=redact, before_write=before_write,
                                 on_cancel=self._cancel_sandbox)

    def sandbox_state(self) -> str:
        return self._sandbox.describe() if self._sandbox else f"{self.config.sandbox.backend} (not started)"

    def close(self) -> None:
        if self.mcp is not None:
            self.mcp.close()
        if self._sandbox is not None:
            self._sandbox.close()

    def _open_mcp(self) -> MCPServers | None:
        """The profile's MCP servers, started (each in its own container) when there are any."""
        if not self.config.mcp.servers:
            return None
        return MCPServers(self.config, self.workspace.root, offline=self.offline, audit=self.audit,
                          masked=self._masked, notify=self.notify).start()

    def _open_sandbox(self) -> Sandbox:
        if self._sandbox is None:
            self._sandbox = open_sandbox(self.config.sandbox, self.workspace.root, offline=self.offline,
                                         audit=self.audit, notify=self.notify, masked=self._masked)
        return self._sandbox

    def _masked(self) -> list[str]:
        """The protected files the sandbox hides: all but those the policy lets read_file read unasked."""
        reader = get_tool("read_file")
        return [path for path in self.workspace.protected_files()
                if self.policy.decide(reader, {"path": path}).verdict != "allow"]

    def _cancel_sandbox(self) -> None:
        if self._sandbox is not None:
            self._sandbox.cancel()


def offered_tools(policy: ApprovalPolicy, approver: Approver, extra: list[Tool] | None = None) -> list[Tool]:
    """Every tool (with `extra`: the MCP servers') for a human; headless, only tools some call of
    which could run unattended."""
    tools = [*all_tools(), *(extra or [])]
    return tools if approver.interactive else [tool for tool in tools if policy.may_run_unattended(tool)]


def tool_spec(tool: Tool) -> ToolSpec:
    return ToolSpec(tool.name, tool.description, tool.parameters)
