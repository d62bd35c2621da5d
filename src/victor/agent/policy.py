"""The approval policy, two axes as in Codex: the mode (ask / auto-edit / full-auto) and per-tool
rules (allow / ask / deny patterns). Deny beats ask beats allow; a path on the deny list (`.env*`…) asks a human unless an allow rule
names it explicitly.

Patterns are path globs for file tools and command prefixes for run_shell, matched on the parsed
command line (shell_rules): an allow rule approves only simple commands of literal words that write
nothing the rule does not name; a deny or ask rule matches any part, in any spelling, and a line it
cannot rule out asks. Deny rules are advice: the sandbox is the boundary.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Literal

from victor.agent import shell_rules
from victor.config.approval_modes import ApprovalMode
from victor.config.schema import ApprovalConfig, ToolRule
from victor.tools.base import Effect, Tool
from victor.tools.workspace import Workspace

Verdict = Literal["allow", "ask", "deny"]
_MODE_ALLOWS: dict[ApprovalMode, set[Effect]] = {
    "ask": {"read"}, "auto-edit": {"read", "write"}, "full-auto": {"read", "write", "shell", "mcp"},
}
_REASONS = {"write": "writes a file", "shell": "runs a shell command", "read": "reads a file",
            "mcp": "calls an MCP server's tool"}


@dataclass(frozen=True)
class PolicyDecision:
    verdict: Verdict
    reason: str
    hint: str = "run it where a human can approve, or allow it with an approvals rule or --approval"


class ApprovalPolicy:
    def __init__(self, settings: ApprovalConfig, workspace: Workspace) -> None:
        self.settings = settings
        self.workspace = workspace
        self._always: set[tuple[str, str]] = set()

    @property
    def mode(self) -> ApprovalMode:
        return self.settings.mode

    def decide(self, tool: Tool, args: dict[str, Any]) -> PolicyDecision:
        if tool.effect == "mcp":
            return self._decide_mcp(tool)
        target = self._target(tool, args)
        rule = self.settings.tools.get(tool.name, ToolRule())
        if tool.effect == "shell" and target is not None:
            return self._decide_shell(tool, target, rule)
        if target is not None and _paths_match(target, rule.deny):
            return PolicyDecision("deny", f"a deny rule for {tool.name} matches '{target}'")
        if tool.effect == "write" and target is not None and self.workspace.needs_human(target):
            return PolicyDecision("ask", f"writes '{target}', which is read-only to the agent (git metadata, "
                                  ".victor/ or Victor's state)", "only a human can approve this write, each time")
        if target is not None and _paths_match(target, rule.ask):
            return PolicyDecision("ask", f"an ask rule for {tool.name} matches '{target}'")
        if target is not None and _paths_match(target, rule.allow):
            return PolicyDecision("allow", f"an allow rule for {tool.name} matches")
        return self._by_mode(tool, target)

    def _decide_shell(self, tool: Tool, command: str, rule: ToolRule) -> PolicyDecision:
        for kind, patterns in (("deny", rule.deny), ("ask", rule.ask)):
            found, detail = shell_rules.matches(command, patterns)
            if found == "match":
                return PolicyDecision("deny" if kind == "deny" else "ask",
                                      f"{'a' if kind == 'deny' else 'an'} {kind} rule for {tool.name} matches "
                                      f"'{command}' ('{detail}')")
            if found == "unknown":
                return PolicyDecision("ask", f"the {kind} rules for {tool.name} cannot be checked: {detail}")
        approved, why = shell_rules.allowed(command, rule.allow) if rule.allow else (False, "")
        if approved:
            return PolicyDecision("allow", f"an allow rule for {tool.name} matches")
        decision = self._by_mode(tool, command)
        if decision.verdict == "ask" and why:
            return PolicyDecision("ask", f"{decision.reason}; not allowed by rule: {why}", decision.hint)
        return decision

    def _decide_mcp(self, tool: Tool) -> PolicyDecision:
        """An MCP tool: `approvals.tools.mcp` patterns are tool names or globs (`mcp__notes__*`)."""
        rule = self.settings.tools.get("mcp", ToolRule())
        rules: tuple[tuple[Verdict, list[str]], ...] = (("deny", rule.deny), ("ask", rule.ask), ("allow", rule.allow))
        for kind, patterns in rules:
            if any(fnmatch.fnmatchcase(tool.name, pattern) for pattern in patterns):
                article = "a" if kind == "deny" else "an"
                return PolicyDecision(kind, f"{article} {kind} rule for mcp matches {tool.name}")
        return self._by_mode(tool, None)

    def _by_mode(self, tool: Tool, target: str | None) -> PolicyDecision:
        if (tool.name, target or "") in self._always:
            return PolicyDecision("allow", "approved for this session")
        if tool.effect != "shell" and target is not None and self.workspace.is_protected(target):
            return PolicyDecision("ask", f"{_REASONS[tool.effect]} on the protected path '{target}'",
                                  "protected paths (approvals.deny_paths) need a human's approval, or an allow "
                                  f"rule naming the path under approvals.tools.{tool.name}")
        if tool.effect in _MODE_ALLOWS[self.mode]:
            return PolicyDecision("allow", f"mode {self.mode}")
        return PolicyDecision("ask", f"{_REASONS[tool.effect]} (mode {self.mode})")

    def _target(self, tool: Tool, args: dict[str, Any]) -> str | None:
        """The command, or the workspace-relative real path (confinement is checked here, first)."""
        target = tool.target(args)
        if target is None or tool.effect == "shell":
            return target
        real = self.workspace.resolve(target, write=tool.effect == "write")
        return self.workspace.relative(real)

    def may_run_unattended(self, tool: Tool) -> bool:
        """True when some call of `tool` could run with no human: offer only those to a headless model."""
        if tool.effect == "mcp":
            return self._decide_mcp(tool).verdict == "allow"
        return tool.effect in _MODE_ALLOWS[self.mode] or bool(self.settings.tools.get(tool.name, ToolRule()).allow)

    def remember(self, tool: Tool, args: dict[str, Any]) -> None:
        """A human said "always": allow this exact call again without asking, for this session."""
        self._always.add((tool.name, tool.target(args) or ""))


def _paths_match(path: str, patterns: list[str]) -> bool:
    return any(_path_matches(path, pattern) for pattern in patterns)


def _path_matches(path: str, pattern: str) -> bool:
    normal = path.removeprefix("./")
    return fnmatch.fnmatch(normal, pattern) or fnmatch.fnmatch(normal.rsplit("/", 1)[-1], pattern)
