"""Approvals: the question the agent asks a human, and the Approver that front ends supply.

The agent never touches the terminal. Headless runs with no TTY use an Approver whose
`interactive` is False: anything that needs a human is then denied (exit 4), never allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Decision = Literal["approve", "deny", "always"]


@dataclass(frozen=True)
class ApprovalRequest:
    id: str
    tool: str
    args: dict[str, Any]
    reason: str  # why a human is asked: "writes a file", "runs a shell command", "reads a protected path"
    preview: str = ""  # a unified diff for edits, the command line for shell
    extra: dict[str, Any] = field(default_factory=dict)


class Approver(Protocol):
    interactive: bool

    def ask(self, request: ApprovalRequest) -> Decision: ...


class NoHuman:
    """The Approver for headless runs with no TTY: every question is answered "deny"."""

    interactive = False

    def ask(self, request: ApprovalRequest) -> Decision:
        return "deny"
