"""The tool contract: what a tool receives (ToolContext), returns (ToolResult) and raises (ToolError)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from victor.errors import VictorError

if TYPE_CHECKING:
    from victor.sandbox.base import Sandbox
    from victor.tools.workspace import Workspace

Effect = Literal["read", "write", "shell", "mcp"]  # mcp: a tool of an MCP server (victor/mcp/tools.py)


class ToolError(VictorError):
    """A tool failed in a way the model can act on (bad path, text not found); it goes back to the model."""


class ToolArgumentError(ToolError):
    """The arguments do not fit the tool's schema (exit 2 when a human typed them)."""

    exit_code = 2


@dataclass
class ToolResult:
    output: str
    ok: bool = True
    summary: str = ""
    exit_code: int | None = None


@dataclass
class ToolContext:
    """What a running tool may use. `sandbox` opens the session's sandbox on first use, or is None."""

    workspace: Workspace
    sandbox: Callable[[], Sandbox] | None = None
    on_output: Callable[[str], None] | None = None
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    effect: Effect
    function: Callable[..., ToolResult]

    def target(self, args: dict[str, Any]) -> str | None:
        """The path or command a call acts on, which approval rules match against."""
        return args.get("command") if self.effect == "shell" else args.get("path")
