"""edit_file: exact search/replace, failing clearly (with the nearest match) when the text is absent
or appears more than once."""

from __future__ import annotations

import difflib

from victor.tools.base import ToolContext, ToolError, ToolResult
from victor.tools.files import read_text
from victor.tools.registry import tool


@tool("write")
def edit_file(ctx: ToolContext, path: str, old_text: str, new_text: str) -> ToolResult:
    """Replace one exact occurrence of old_text in a file with new_text.

    Args:
        path: file path relative to the workspace
        old_text: text to find; must occur exactly once
        new_text: replacement text
    """
    real = ctx.workspace.resolve(path, write=True)
    if not real.is_file():
        raise ToolError(f"'{path}' does not exist; use write_file to create it")
    if not old_text:
        raise ToolError("old_text is empty; use write_file to replace a whole file")
    text = read_text(real, path)
    count = text.count(old_text)
    if count == 0:
        raise ToolError(f"old_text not found in {path}. {nearest_match(text, old_text)}")
    if count > 1:
        lines = _match_lines(text, old_text)
        raise ToolError(f"old_text occurs {count} times in {path} (lines {lines}); include more context")
    real.write_text(text.replace(old_text, new_text, 1), encoding="utf-8")
    line = text[: text.index(old_text)].count("\n") + 1
    return ToolResult(f"edited {path} at line {line}", summary=f"edited {path}:{line}")


def nearest_match(text: str, wanted: str) -> str:
    """The passage of `text` most like `wanted`, with its line number, for the model to retry with."""
    lines = text.splitlines(keepends=True)
    size = max(len(wanted.splitlines()), 1)
    best_ratio, best_start = 0.0, 0
    for start in range(max(len(lines) - size + 1, 1)):
        window = "".join(lines[start : start + size])
        ratio = difflib.SequenceMatcher(None, window, wanted, autojunk=False).ratio()
        if ratio > best_ratio:
            best_ratio, best_start = ratio, start
    if best_ratio < 0.4:
        return "No similar text found; read the file first."
    passage = "".join(lines[best_start : best_start + size]).rstrip("\n")
    return f"Nearest match (line {best_start + 1}, {best_ratio:.0%} similar):\n{passage}"


def _match_lines(text: str, wanted: str) -> str:
    found: list[str] = []
    start = text.find(wanted)
    while start != -1 and len(found) < 10:
        found.append(str(text[:start].count("\n") + 1))
        start = text.find(wanted, start + 1)
    return ", ".join(found)
