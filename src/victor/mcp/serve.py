"""`victor mcp serve`: Victor as a stdio MCP server (the SDK's MCPServer), so an agent that is not
Victor still gets its guarded tools, each call audited:

- `scan_secrets(text | path)`: Victor's secret scanner; findings name the rule and line and show only
  a 4-character preview; a path must lie in the workspace;
- `run_in_sandbox(command)`: the command in the session-style locked-down container (the profile's
  limits, no network offline, protected files masked, every exec audited); `approvals.tools.run_shell`
  deny rules refuse it; secrets in the output are redacted;
- `route(prompt)`: where Victor's router would send the prompt and why, without calling a model.

Nothing but the MCP stream goes to stdout; warnings go to stderr."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from victor.errors import PolicyDenied, UsageError, VictorError


class GuardedTools:
    """The three tools over one configuration, workspace and audit log; the sandbox opens on first use."""

    def __init__(self, root: Path) -> None:
        from victor.agent.policy import ApprovalPolicy
        from victor.audit import open_audit_log
        from victor.session import load_session_config
        from victor.tools.workspace import Workspace

        self.loaded = load_session_config(root, approval=None, offline=False)
        self.config = self.loaded.config
        self.workspace = Workspace(root, self.config.approvals.deny_paths)
        self.policy = ApprovalPolicy(self.config.approvals, self.workspace)
        self.audit = open_audit_log(self.config.audit, session_id=f"mcp-serve-{uuid.uuid4().hex[:12]}")
        self._sandbox: Any = None

    def scan_secrets(self, text: str | None = None, path: str | None = None) -> dict[str, Any]:
        from victor.secrets import scan_text

        if (text is None) == (path is None):
            raise UsageError("give either text or path")
        if path is not None:
            real = self.workspace.resolve(path)
            text = real.read_text(encoding="utf-8", errors="replace")
            path = self.workspace.relative(real)
        findings = [{"rule": f.rule, "line": f.line, "preview": f.preview} for f in scan_text(text or "", path=path)]
        self.audit.record("mcp_serve", tool="scan_secrets", path=path, findings=len(findings))
        return {"path": path, "findings": findings}

    def run_in_sandbox(self, command: str, timeout_s: int | None = None) -> dict[str, Any]:
        from victor.secrets import redact
        from victor.tools.registry import get_tool

        decision = self.policy.decide(get_tool("run_shell"), {"command": command})
        if decision.verdict == "deny":
            self.audit.record("mcp_serve", success=False, tool="run_in_sandbox", command=command,
                              refused=decision.reason)
            raise PolicyDenied(f"refused: {decision.reason}")
        result = self._open_sandbox().exec(command, timeout_s=timeout_s)
        self.audit.record("mcp_serve", success=result.exit_code == 0, tool="run_in_sandbox", command=command,
                          exit_code=result.exit_code)
        return {"exit_code": result.exit_code, "output": redact(result.output), "timed_out": result.timed_out,
                "truncated": result.truncated, "sandbox": self._sandbox.describe()}

    def route(self, prompt: str, task: str | None = None) -> dict[str, Any]:
        from victor.routing import Router, RouteRequest

        decision = Router(self.loaded, audit=self.audit).decide(RouteRequest(prompt=prompt, task=task))
        return {**decision.as_dict(), "offline_mode": self.config.offline_mode}

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
        self.audit.close()

    def _open_sandbox(self) -> Any:
        if self._sandbox is None:
            from victor.sandbox.factory import open_sandbox

            self._sandbox = open_sandbox(self.config.sandbox, self.workspace.root, offline=self.config.offline_mode,
                                         audit=self.audit, masked=self.workspace.protected_files)
        return self._sandbox


def serve(root: Path) -> None:
    """Serve the guarded tools on stdin/stdout until the client closes the stream."""
    from mcp.server.mcpserver import MCPServer

    tools = GuardedTools(root)
    server = MCPServer("victor", instructions="Victor's guarded tools: secret scanning, a locked-down sandbox, "
                                              "and where a prompt would be routed.")
    server.tool(description="Find secrets (API keys, tokens, private keys) in `text` or in the workspace file "
                            "`path`; findings show the rule, line and a 4-character preview.")(
        _one_line_errors(tools.scan_secrets))
    server.tool(description="Run a bash command in Victor's locked-down sandbox container (workspace mounted, "
                            "no network unless the profile allows it); returns exit code and output.")(
        _one_line_errors(tools.run_in_sandbox))
    server.tool(description="Explain where Victor would route `prompt` (local or cloud model) and why; no model "
                            "is called.")(_one_line_errors(tools.route))
    try:
        server.run("stdio")
    finally:
        tools.close()


def _one_line_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Victor's errors reach the client as the tool's error message (the SDK's ToolError), not as a crash."""
    from mcp.server.mcpserver.exceptions import ToolError

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except VictorError as exc:
            raise ToolError(exc.message) from None
        except OSError as exc:
            raise ToolError(exc.strerror or str(exc)) from None

    return guarded
