"""run_shell: a command in the session's sandbox. Never on the host: without a sandbox there is no shell."""

from __future__ import annotations

from victor.tools.base import ToolContext, ToolError, ToolResult
from victor.tools.registry import tool


@tool("shell")
def run_shell(ctx: ToolContext, command: str, timeout_s: int | None = None) -> ToolResult:
    """Run a bash command in the sandbox (workspace mounted, no network); returns output and exit code.

    Args:
        command: the command line
        timeout_s: seconds before it is killed
    """
    if ctx.sandbox is None:
        raise ToolError("run_shell is unavailable: no sandbox is configured", hint="see `victor sandbox build`")
    result = ctx.sandbox().exec(command, timeout_s=timeout_s, on_output=ctx.on_output)
    notes = []
    if result.timed_out:
        notes.append("[timed out]")
    if result.truncated:
        notes.append("[output truncated]")
    output = "\n".join([result.output.rstrip("\n"), *notes, f"[exit {result.exit_code}]"]).lstrip("\n")
    return ToolResult(
        output,
        ok=result.exit_code == 0 and not result.timed_out,
        summary=f"exit {result.exit_code} in {result.duration_ms} ms",
        exit_code=result.exit_code,
    )
