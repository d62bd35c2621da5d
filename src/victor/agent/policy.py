"""The approval policy, two axes as in Codex: the mode (ask / auto-edit / full-auto) and per-tool
rules (allow / ask / deny patterns). Deny beats ask beats allow; a path on the deny list (`.env*`…) asks a human unless an allow rule
names it explicitly.

Patterns are command prefixes for run_shell (`pytest`, `git status`) and path globs for file tools.
A shell command is allowed by a rule only when every part of it (split on `;`, `&&`, `||`, `|`) is,
and never when it substitutes commands (`$(…)`, backticks); a deny pattern matches any part.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Literal

from victor.config.schema import ApprovalConfig, ToolRule
from victor.tools.base import Tool
from victor.tools.workspace import Workspace

Verdict = Literal["allow", "ask", "deny"]
_SEPARATORS = re.compile(r"\|\||&&|[;|\n&]")
_SUBSTITUTION = re.compile(r"\$\(|`|<\(|>\(")
_MODE_ALLOWS = {"ask": {"read"}, "auto-edit": {"read", "write"}, "full-auto": {"read", "write", "shell"}}
_REASONS = {"write": "writes a file", "shell": "runs a shell command", "read": "reads a file"}


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
    def mode(self) -> str:
        return self.settings.mode

    def decide(self, tool: Tool, args: dict[str, Any]) -> PolicyDecision:
        target = self._target(tool, args)
        rule = self.settings.tools.get(tool.name, ToolRule())
        if target is not None and self._matches(tool, target, rule.deny, any_part=True):
            return PolicyDecision("deny", f"a deny rule for {tool.name} matches '{target}'")
        if target is not None and self._matches(tool, target, rule.ask, any_part=True):
            return PolicyDecision("ask", f"an ask rule for {tool.name} matches '{target}'")
        if target is not None and self._matches(tool, target, rule.allow, any_part=False):
            return PolicyDecision("allow", f"an allow rule for {tool.name} matches")
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
        return tool.effect in _MODE_ALLOWS[self.mode] or bool(self.settings.tools.get(tool.name, ToolRule()).allow)

    def remember(self, tool: Tool, args: dict[str, Any]) -> None:
        """A human said "always": allow this exact call again without asking, for this session."""
        self._always.add((tool.name, tool.target(args) or ""))

    def _matches(self, tool: Tool, target: str, patterns: list[str], *, any_part: bool) -> bool:
        if not patterns:
            return False
        if tool.effect != "shell":
            return any(_path_matches(target, pattern) for pattern in patterns)
        parts = [part.strip() for part in _SEPARATORS.split(target) if part.strip()]
        if any_part:
            words = target.split()
            return any(_prefix(part, pattern) or _contains(words, pattern.split()) for part in parts for pattern in patterns)
        if _SUBSTITUTION.search(target) or not parts:
            return False
        return all(any(_prefix(part, pattern) for pattern in patterns) for part in parts)


def _prefix(command: str, pattern: str) -> bool:
    words, wanted = command.split(), pattern.split()
    return words[: len(wanted)] == wanted


def _contains(words: list[str], wanted: list[str]) -> bool:
    return any(words[start : start + len(wanted)] == wanted for start in range(len(words)))


def _path_matches(path: str, pattern: str) -> bool:
    normal = path.removeprefix("./")
    return fnmatch.fnmatch(normal, pattern) or fnmatch.fnmatch(normal.rsplit("/", 1)[-1], pattern)
