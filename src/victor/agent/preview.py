"""What a human sees before approving a call: a unified diff for edits, the command for shell."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from victor.tools.base import Tool
from victor.tools.workspace import Workspace

MAX_PREVIEW_LINES = 200


def preview(tool: Tool, args: dict[str, Any], workspace: Workspace) -> str:
    if tool.effect == "shell":
        return f"$ {args.get('command', '')}"
    if tool.name == "write_file":
        return _diff(workspace, args["path"], lambda old: args.get("content", ""))
    if tool.name == "edit_file":
        return _diff(workspace, args["path"], lambda old: old.replace(args["old_text"], args["new_text"], 1))
    return ""


def _diff(workspace: Workspace, path: str, change: Callable[[str], str]) -> str:
    try:
        real = workspace.resolve(path, write=True)
        old = real.read_text(encoding="utf-8", errors="replace") if real.is_file() else ""
    except Exception:  # noqa: BLE001 - a preview never blocks the refusal that follows
        return ""
    lines = list(difflib.unified_diff(old.splitlines(), change(old).splitlines(), f"a/{path}", f"b/{path}", lineterm=""))
    if len(lines) > MAX_PREVIEW_LINES:
        lines = lines[:MAX_PREVIEW_LINES] + [f"… {len(lines) - MAX_PREVIEW_LINES} more lines"]
    return "\n".join(lines)
