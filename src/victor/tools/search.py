"""grep: a regex search over the workspace's files, respecting .gitignore and skipping protected files."""

from __future__ import annotations

import re
from pathlib import Path

from victor.tools.base import ToolContext, ToolError, ToolResult
from victor.tools.files import glob_regex
from victor.tools.listing import workspace_files
from victor.tools.registry import tool

MAX_MATCHES = 100
MAX_FILE_BYTES = 1_000_000
MAX_LINE_CHARS = 240


@tool("read")
def grep(ctx: ToolContext, pattern: str, path: str = ".", include: str | None = None, ignore_case: bool = False) -> ToolResult:
    """Search file contents with a regular expression; prints path:line: text.

    Args:
        pattern: Python regular expression
        path: file or directory to search; '.' is the root
        include: only files whose name matches this glob, e.g. '*.py'
        ignore_case: match case-insensitively
    """
    try:
        regex = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ToolError(f"invalid regular expression {pattern!r}: {exc}") from None
    under = ctx.workspace.resolve(path)
    if not under.exists():
        raise ToolError(f"'{path}' does not exist")
    files = [under] if under.is_file() else workspace_files(ctx.workspace, under)
    name_filter = glob_regex(include) if include else None
    hits: list[str] = []
    skipped = 0
    for file in files:
        if name_filter and not name_filter.fullmatch(file.name):
            continue
        if ctx.workspace.is_protected(file):
            skipped += 1
            continue
        hits.extend(_search_file(ctx, file, regex, MAX_MATCHES + 1 - len(hits)))
        if len(hits) > MAX_MATCHES:
            break
    return ToolResult(_format(hits, skipped), summary=f"{min(len(hits), MAX_MATCHES)} matches for {pattern}")


def _search_file(ctx: ToolContext, file: Path, regex: re.Pattern[str], limit: int) -> list[str]:
    if file.stat().st_size > MAX_FILE_BYTES:
        return []
    data = file.read_bytes()
    if b"\0" in data[:8192]:
        return []
    relative = ctx.workspace.relative(file)
    found = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if regex.search(line):
            found.append(f"{relative}:{number}: {line.strip()[:MAX_LINE_CHARS]}")
            if len(found) >= limit:
                break
    return found


def _format(hits: list[str], skipped: int) -> str:
    lines = hits[:MAX_MATCHES] or ["no matches"]
    if len(hits) > MAX_MATCHES:
        lines.append(f"[stopped after {MAX_MATCHES} matches; narrow the pattern or path]")
    if skipped:
        lines.append(f"[{skipped} protected file(s) not searched]")
    return "\n".join(lines)
