"""Reading and listing tools: read_file, list_dir, glob; and write_file."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from victor.tools.base import ToolContext, ToolError, ToolResult
from victor.tools.listing import workspace_files
from victor.tools.registry import tool

MAX_READ_LINES = 400
MAX_READ_BYTES = 48_000
MAX_ENTRIES = 300


@tool("read")
def read_file(ctx: ToolContext, path: str, start_line: int = 1, end_line: int | None = None) -> ToolResult:
    """Read a text file, or a range of its lines.

    Args:
        path: existing file, e.g. README.md
        start_line: first line, from 1
        end_line: last line (default: up to 400 lines)
    """
    real = ctx.workspace.resolve(path)
    if not real.is_file():
        raise ToolError(f"'{path}' is not a file" if real.exists() else f"'{path}' does not exist.{_similar(ctx, path)}")
    text = read_text(real, path)
    lines = text.splitlines(keepends=True)
    first = max(start_line, 1)
    last = min(end_line or first + MAX_READ_LINES - 1, first + MAX_READ_LINES - 1, len(lines))
    body = "".join(lines[first - 1 : last])
    clipped = len(body.encode()) > MAX_READ_BYTES
    if clipped:
        body = body.encode()[:MAX_READ_BYTES].decode("utf-8", "ignore")
    more = last < len(lines) or clipped
    note = f"\n[lines {first}-{last} of {len(lines)}; read more with start_line]" if more else ""
    return ToolResult(body + note, summary=f"read {path} lines {first}-{last} of {len(lines)}")


def _similar(ctx: ToolContext, path: str) -> str:
    """A hint naming workspace files whose names look like `path`."""
    names = [ctx.workspace.relative(file) for file in workspace_files(ctx.workspace, ctx.workspace.root)]
    close = difflib.get_close_matches(path, names, n=3, cutoff=0.5)
    if not close:
        top = sorted(name for name in names if "/" not in name)[:10]
        return f" Files at the top level: {', '.join(top)}" if top else ""
    return f" Did you mean: {', '.join(close)}?"


def read_text(real: Path, shown: str) -> str:
    data = real.read_bytes()
    if b"\0" in data[:8192]:
        raise ToolError(f"'{shown}' is a binary file")
    return data.decode("utf-8", "replace")


@tool("read")
def list_dir(ctx: ToolContext, path: str = ".") -> ToolResult:
    """List a directory's entries; directories end with '/'.

    Args:
        path: existing directory; '.' is the root
    """
    real = ctx.workspace.resolve(path)
    if not real.is_dir():
        raise ToolError(f"'{path}' is not a directory")
    entries = sorted(real.iterdir(), key=lambda entry: (not entry.is_dir(), entry.name))
    names = [entry.name + ("/" if entry.is_dir() else "") for entry in entries[:MAX_ENTRIES]]
    if len(entries) > MAX_ENTRIES:
        names.append(f"[{len(entries) - MAX_ENTRIES} more entries]")
    return ToolResult("\n".join(names) or "(empty)", summary=f"{len(entries)} entries in {path}")


@tool("read")
def glob(ctx: ToolContext, pattern: str, path: str = ".") -> ToolResult:
    """Find files by glob pattern, e.g. '**/*.py' or 'src/*.md'; skips .gitignore'd files.

    Args:
        pattern: glob; without '/', it matches file names at any depth
        path: directory to search; '.' is the root
    """
    under = ctx.workspace.resolve(path)
    if not under.is_dir():
        raise ToolError(f"'{path}' is not a directory")
    matcher = glob_regex(pattern)
    matches = []
    for file in workspace_files(ctx.workspace, under):
        relative = ctx.workspace.relative(file)
        candidate = relative if "/" in pattern else file.name
        if matcher.fullmatch(candidate):
            matches.append(relative)
    shown = matches[:MAX_ENTRIES] + ([f"[{len(matches) - MAX_ENTRIES} more]"] if len(matches) > MAX_ENTRIES else [])
    return ToolResult("\n".join(shown) or "no files match", summary=f"{len(matches)} files match {pattern}")


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a glob: `**/` spans directories, `*` and `?` stay within one."""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern.removeprefix("./"))
    mapping = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(mapping.get(part, re.escape(part)) for part in parts))


@tool("write")
def write_file(ctx: ToolContext, path: str, content: str) -> ToolResult:
    """Create or overwrite a file with the given content.

    Args:
        path: file path relative to the workspace
        content: the complete new file content
    """
    real = ctx.workspace.resolve(path, write=True)
    if real.is_dir():
        raise ToolError(f"'{path}' is a directory")
    existed = real.exists()
    real.parent.mkdir(parents=True, exist_ok=True)
    real.write_text(content, encoding="utf-8")
    verb = "replaced" if existed else "created"
    return ToolResult(f"{verb} {path} ({len(content.encode())} bytes)", summary=f"{verb} {path}")
