"""What the model is given with a prompt so that no turn is spent only looking around: the files the
prompt names and the repository's own modules those import (the code a named test tests), read in
(code before tests; protected paths never), and, on a session's first prompt, a compact map of the repository (its
files with their top-level Python functions and classes), each within a budget. A test the user
says not to change is read in only when the prompt reports it failing: otherwise it is not what
the task is about, and the tests' own output comes back after the first edit (`autotest`).

The text is appended to the user's message once and never rewritten, so the conversation's prefix
stays stable for the server's KV cache.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from victor.agent import test_guard
from victor.agent.edit_blocks import mentioned_paths
from victor.tools.listing import workspace_files
from victor.tools.workspace import Workspace

MAP_BUDGET_CHARS = 1_500
FILE_BUDGET_CHARS = 6_000
FILES_BUDGET_CHARS = 12_000
IMPORT_DEPTH = 2
FAILING = re.compile(r"\b(?:fail\w*|error\w*|broken|crash\w*|wrong)\b", re.IGNORECASE)
LANGUAGES = {"py": "python", "js": "javascript", "ts": "typescript", "md": "markdown", "sh": "bash", "yml": "yaml"}
MAP_SKIP_SUFFIXES = (".lock", ".svg", ".png", ".jpg", ".gif", ".ico", ".pdf", ".zip", ".gz", ".bin", ".gguf")


@dataclass
class Grounding:
    """The context added to one prompt, and the files read for it."""

    text: str = ""
    read: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)


def reports_failure(prompt: str) -> bool:
    """True when the prompt says something fails (a failing test, an error, its output)."""
    return bool(FAILING.search(prompt))


def workspace_paths(workspace: Workspace) -> list[str]:
    return [workspace.relative(path) for path in workspace_files(workspace, workspace.root)]


def ground(prompt: str, workspace: Workspace, files: list[str], *, first: bool, shown: str) -> Grounding:
    """The context for `prompt`: named files whose current text is not already in `shown` (the
    conversation so far), and the repository map when this is the session's first prompt."""
    named = mentioned_paths(prompt, set(files))
    parts, read, budget = [], [], FILES_BUDGET_CHARS
    protected = test_guard.protects_tests([prompt])
    skip_tests = protected and not reports_failure(prompt)
    for path in sorted(_with_imports(workspace.root, named, set(files)), key=test_guard.is_test_path):
        if workspace.is_protected(path) or (skip_tests and test_guard.is_test_path(path)):
            continue
        try:
            text = (workspace.root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        whole = len(text) <= FILE_BUDGET_CHARS
        if not whole:  # the head only; the rest stays a read_file away
            head = text[: text.rfind("\n", 0, FILE_BUDGET_CHARS) + 1]
            text = f"{head}[… {len(text) - len(head)} more characters: read_file with start_line]\n"
        label = " (a test: read it, don't change it)" if protected and test_guard.is_test_path(path) else ""
        block = f"{path}{label}\n```{_language(path)}\n{text}{'' if text.endswith(chr(10)) else chr(10)}```"
        if len(block) > budget:
            continue
        if whole:
            read.append(path)
        if block not in shown:
            parts.append(block)
            budget -= len(block)
    if first:
        parts.insert(0, repo_map(workspace.root, files))
    text = "\n\n".join(part for part in parts if part)
    return Grounding(text=text, read=read, named=named)


def _language(path: str) -> str:
    """The fence's language tag: without one the 1.5B model answered `obj['leap_year']` instead of code."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return LANGUAGES.get(suffix, suffix)


def _with_imports(root: Path, named: list[str], files: set[str], depth: int = IMPORT_DEPTH) -> list[str]:
    """`named`, then the workspace modules their Python files import, and theirs, `depth` levels."""
    found, frontier = list(named), list(named)
    for _ in range(depth):
        frontier = [module for path in frontier for module in _local_imports(root, path, files)
                    if module not in found]
        found += list(dict.fromkeys(frontier))
    return found


def _local_imports(root: Path, path: str, files: set[str]) -> list[str]:
    """The workspace files a Python file imports (absolute and relative imports)."""
    if not path.endswith(".py"):
        return []
    try:
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return []
    package = path.split("/")[:-1]
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name.replace(".", "/") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "/".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = "/".join(filter(None, [base, (node.module or "").replace(".", "/")]))
            modules += [module] + [f"{module}/{alias.name}" for alias in node.names]
    return [candidate for module in modules for candidate in (f"{module}.py", f"{module}/__init__.py")
            if candidate in files and candidate != path]


def repo_map(root: Path, files: list[str], budget: int = MAP_BUDGET_CHARS) -> str:
    """`Repository files:` then one line a file, `path: name, name` for Python files."""
    lines, used = [], 0
    shown = [path for path in files if not path.endswith(MAP_SKIP_SUFFIXES)]
    for index, path in enumerate(shown):
        names = _top_level_names(root / path) if path.endswith(".py") else []
        line = f"{path}: {', '.join(names)}" if names else path
        if used + len(line) > budget:
            lines.append(f"[… {len(shown) - index} more files]")
            break
        lines.append(line)
        used += len(line) + 1
    return "Repository files:\n" + "\n".join(lines) if lines else ""


def _top_level_names(path: Path) -> list[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return []
    return [node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_")]
