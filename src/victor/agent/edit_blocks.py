"""Edits a model writes as text instead of tool calls, the formats small models get right:

- a whole file: the path (in the line before, in the fence's info string, or as a first-line
  comment), then the file's new content in a fenced block. For a Python file the block may hold only
  some top-level functions or classes: those replace the ones of the same name and the rest of the
  file stays (a snippet never silently truncates a file);
- search/replace blocks for larger files: the path, then `<<<<<<< SEARCH`, the exact old lines,
  `=======`, the new lines, `>>>>>>> REPLACE`.

`edit_calls(text, workspace_files, read)` turns them into ordinary `write_file` / `edit_file` tool
calls, so they go through the same policy, snapshots and audit as any other call. Only files that
exist in the workspace are touched.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from victor.providers.base import ToolCall, new_call_id

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                   re.DOTALL | re.MULTILINE)
SEARCH_REPLACE = re.compile(
    r"^(?P<path>[^\n]*?)\s*\n(?:```[^\n]*\n)?<{5,9} SEARCH[^\n]*\n(?P<old>.*?)^={5,9}[ \t]*\n(?P<new>.*?)^>{5,9} REPLACE[^\n]*$",
    re.DOTALL | re.MULTILINE)
PATH_TOKEN = re.compile(r"[`'\"*(]?([\w./-]+\.[A-Za-z0-9]{1,8})[`'\"*):,]?")
FIRST_LINE_COMMENT = re.compile(r"^\s*(?:#|//|--)\s*(?:file(?:name)?:\s*)?([\w./-]+\.[A-Za-z0-9]{1,8})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    path: str
    body: str


def edit_calls(text: str, files: Iterable[str], read: Callable[[str], str | None], *,
               targets: Iterable[str] = ()) -> list[ToolCall]:
    """The tool calls that apply the edits written in `text`. `files` are the workspace's paths
    (relative), `read(path)` returns a file's current text or None. A block with no path of its
    own goes to the one of `targets` (the files the task is about) that defines what it defines."""
    known = set(files)
    calls: list[ToolCall] = []
    replaced = _search_replace_calls(text, known)
    calls += replaced
    remaining = SEARCH_REPLACE.sub("", text) if replaced else text
    for block in _file_blocks(remaining, known, list(targets), read):
        current = read(block.path)
        content = merged(current, block.body, block.path) if current is not None else block.body
        if content is not None and content != current:
            calls.append(ToolCall(new_call_id(), "write_file", {"path": block.path, "content": content}))
    return calls


def mentioned_paths(text: str, known: set[str]) -> list[str]:
    """Workspace paths named in `text` (by full path, or by base name when that is unambiguous)."""
    by_name: dict[str, list[str]] = {}
    for known_path in known:
        by_name.setdefault(known_path.rsplit("/", 1)[-1], []).append(known_path)
    found: list[str] = []
    for match in PATH_TOKEN.finditer(text):
        token = match.group(1).lstrip("./")
        path = token if token in known else (by_name.get(token, [None])[0] if len(by_name.get(token, [])) == 1 else None)
        if path and path not in found:
            found.append(path)
    return found


def merged(current: str, body: str, path: str) -> str | None:
    """The file after writing `body` into it: whole for non-Python files and for a block that
    defines everything the file does; otherwise each top-level def/class of the block replaces its
    namesake (new ones appended, new imports added). None when a Python block does not parse."""
    if not path.endswith(".py"):
        return body
    try:
        new_tree, old_tree = ast.parse(body), ast.parse(current)
    except SyntaxError:
        return None
    old_defs = _top_defs(old_tree)
    new_defs = _top_defs(new_tree)
    if old_defs and not new_defs:
        return None  # not this file: it defines none of the file's functions or classes
    if set(old_defs) <= set(new_defs):
        return body
    lines, body_lines = current.splitlines(keepends=True), body.splitlines(keepends=True)
    appended: list[str] = []
    for name, (start, end) in sorted(old_defs.items(), key=lambda item: -item[1][0]):
        if name in new_defs:
            new_start, new_end = new_defs[name]
            lines[start - 1 : end] = _ending(body_lines[new_start - 1 : new_end])
    for name, (new_start, new_end) in new_defs.items():
        if name not in old_defs:
            appended += ["\n", "\n", *_ending(body_lines[new_start - 1 : new_end])]
    imports = [line for line in _import_lines(new_tree, body_lines) if line not in lines]
    return "".join(imports + lines + appended)


def _top_defs(tree: ast.Module) -> dict[str, tuple[int, int]]:
    """name -> (first line, last line) of each top-level function and class, decorators included."""
    spans = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            spans[node.name] = (first, node.end_lineno or node.lineno)
    return spans


def _import_lines(tree: ast.Module, lines: list[str]) -> list[str]:
    return [line for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
            for line in _ending(lines[node.lineno - 1 : node.end_lineno or node.lineno])]


def _ending(lines: list[str]) -> list[str]:
    return [*lines[:-1], lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"] if lines else lines


def _search_replace_calls(text: str, known: set[str]) -> list[ToolCall]:
    calls = []
    for match in SEARCH_REPLACE.finditer(text):
        paths = mentioned_paths(match.group("path"), known)
        if paths and match.group("old"):
            calls.append(ToolCall(new_call_id(), "edit_file", {
                "path": paths[0], "old_text": match.group("old"), "new_text": match.group("new")}))
    return calls


def _file_blocks(text: str, known: set[str], targets: list[str], read: Callable[[str], str | None]) -> list[Block]:
    """Fenced blocks whose file is named next to them, or else found among `targets`; the last
    block wins for a path."""
    blocks: dict[str, Block] = {}
    for match in FENCE.finditer(text):
        body, info = match.group("body"), match.group("info").strip()
        path = _block_path(text[: match.start()], info, body, known)
        if path is None:
            path = _target_of(body, targets, read)
        if path is None:
            continue
        first = body.split("\n", 1)
        if FIRST_LINE_COMMENT.match(first[0]) and len(first) > 1:
            body = first[1]
        blocks[path] = Block(path, body)
    return list(blocks.values())


def _target_of(body: str, targets: list[str], read: Callable[[str], str | None]) -> str | None:
    """The one target that defines a top-level name the block defines, if exactly one does."""
    try:
        names = set(_top_defs(ast.parse(body)))
    except SyntaxError:
        return None
    owners = []
    for path in targets:
        try:
            if path.endswith(".py") and names & set(_top_defs(ast.parse(read(path) or ""))):
                owners.append(path)
        except SyntaxError:
            continue
    return owners[0] if len(owners) == 1 else None


def _block_path(before: str, info: str, body: str, known: set[str]) -> str | None:
    first_line = body.split("\n", 1)[0]
    comment = FIRST_LINE_COMMENT.match(first_line)
    for candidate in (info, comment.group(1) if comment else ""):
        found = mentioned_paths(candidate, known)
        if found:
            return found[0]
    tail = [line for line in before.rstrip().splitlines()[-3:] if line.strip()]
    for line in reversed(tail):
        found = mentioned_paths(line, known)
        if found:
            return found[-1]
    return None
