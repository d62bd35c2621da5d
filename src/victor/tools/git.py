"""Read-only git tools: git_status and git_diff. Nothing in the workspace can turn them into a command
on the host: with a container sandbox git runs inside it (whatever the repository's config or a
nested git dir makes git run stays confined there); otherwise git runs on the host with every
config-driven command path closed (gitcmd.py). A diff never shows a protected file's content."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from victor.errors import SandboxError
from victor.sandbox.readonly import gitdir_target
from victor.tools.base import ToolContext, ToolError, ToolResult
from victor.tools.gitcmd import closed_git, host_runner, sandbox_runner
from victor.tools.registry import tool

if TYPE_CHECKING:
    from victor.sandbox.base import Sandbox

MAX_OUTPUT_CHARS = 30_000
_ESCAPE = re.compile(rb"\\([0-7]{3}|.)", re.DOTALL)
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13}
DIFF = ["diff", "--no-ext-diff", "--no-textconv", "--no-color", "--no-renames", "--ignore-submodules=all"]


@tool("read")
def git_status(ctx: ToolContext) -> ToolResult:
    """Show the branch and changed files (git status --short --branch)."""
    output = _clip(_git(ctx, ["status", "--short", "--branch", "--ignore-submodules=all"]))
    changed = max(len(output.splitlines()) - 1, 0)
    return ToolResult(output or "(clean)", summary=f"{changed} changed paths")


@tool("read")
def git_diff(ctx: ToolContext, path: str | None = None, staged: bool = False) -> ToolResult:
    """Show uncommitted changes as a unified diff.

    Args:
        path: limit the diff to this path
        staged: show staged changes instead
    """
    base = DIFF + (["--cached"] if staged else [])
    scope = [":(literal)" + ctx.workspace.relative(ctx.workspace.resolve(path))] if path else []
    names = [_unquote(line) for line in _git(ctx, [*base, "--name-only", "--", *scope]).splitlines() if line]
    hidden = [name for name in names if ctx.workspace.is_protected(name)]
    excluded = [":(exclude,literal)" + name for name in hidden]
    output = _clip(_git(ctx, [*base, "--", *scope, *excluded])) if len(hidden) < len(names) else ""
    if hidden:
        output += f"[{len(hidden)} protected file(s) not shown: {', '.join(hidden)}]\n"
    return ToolResult(output or "(no changes)", summary=f"{output.count('diff --git ')} files differ")


def _git(ctx: ToolContext, args: list[str]) -> str:
    """git's output, run in the session's container when there is one, else on the host."""
    sandbox = _container(ctx)
    run = sandbox_runner(sandbox) if sandbox is not None else host_runner(ctx.workspace.root)
    code, output, error = closed_git(run, args)
    if code != 0:
        raise ToolError(f"git {args[0]} failed: {error.strip() or f'exit {code}'}")
    return output


def _container(ctx: ToolContext) -> Sandbox | None:
    """The session's sandbox when it is an isolating container that sees the git dir, else None (no
    sandbox configured, the host runner, a container that cannot start, or a `.git` file pointing
    outside the workspace, as a linked worktree's does): then git runs on the host, closed as it is."""
    if ctx.sandbox is None:
        return None
    target = gitdir_target(ctx.workspace.root)
    if target is not None and not ctx.workspace.contains(target):
        return None
    try:
        sandbox = ctx.sandbox()
    except SandboxError:
        return None
    return sandbox if getattr(sandbox, "isolated", False) else None


def _unquote(name: str) -> str:
    """A path as git prints it: C-style quoted when it holds `"`, `\\` or control characters."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    body = name[1:-1].encode("utf-8", "surrogateescape")
    raw = _ESCAPE.sub(lambda match: bytes([_byte(match.group(1))]), body)
    return raw.decode("utf-8", "replace")


def _byte(escape: bytes) -> int:
    return int(escape, 8) if len(escape) == 3 else _ESCAPES.get(escape, escape[0])


def _clip(output: str) -> str:
    if len(output) > MAX_OUTPUT_CHARS:
        return output[:MAX_OUTPUT_CHARS] + "\n[output truncated; pass a path to narrow it]"
    return output
