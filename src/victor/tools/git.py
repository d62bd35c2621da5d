"""Read-only git tools: git_status and git_diff. Repository config cannot run commands through them:
fsmonitor, external diff and textconv drivers are switched off."""

from __future__ import annotations

import subprocess

from victor.tools.base import ToolContext, ToolError, ToolResult
from victor.tools.listing import GIT_SAFE
from victor.tools.registry import tool

MAX_OUTPUT_CHARS = 30_000


def _git(ctx: ToolContext, *args: str) -> str:
    command = ["git", *GIT_SAFE, "--no-optional-locks", "-C", str(ctx.workspace.root), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ToolError(f"git failed: {exc}") from None
    if done.returncode != 0:
        raise ToolError(f"git {args[0]} failed: {done.stderr.strip() or done.returncode}")
    output = done.stdout
    if len(output) > MAX_OUTPUT_CHARS:
        output = output[:MAX_OUTPUT_CHARS] + "\n[output truncated; pass a path to narrow it]"
    return output


@tool("read")
def git_status(ctx: ToolContext) -> ToolResult:
    """Show the branch and changed files (git status --short --branch)."""
    output = _git(ctx, "status", "--short", "--branch")
    changed = max(len(output.splitlines()) - 1, 0)
    return ToolResult(output or "(clean)", summary=f"{changed} changed paths")


@tool("read")
def git_diff(ctx: ToolContext, path: str | None = None, staged: bool = False) -> ToolResult:
    """Show uncommitted changes as a unified diff.

    Args:
        path: limit the diff to this path
        staged: show staged changes instead
    """
    args = ["diff", "--no-ext-diff", "--no-textconv", "--no-color"] + (["--cached"] if staged else [])
    if path:
        args += ["--", ctx.workspace.relative(ctx.workspace.resolve(path))]
    output = _git(ctx, *args)
    return ToolResult(output or "(no changes)", summary=f"{output.count('diff --git ')} files differ")
