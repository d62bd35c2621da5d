"""An edit keeps the top-level functions and classes that other files import. Small models "fix" a
bug by renaming the function (`average` → `average_new`) or rewrite a stub under another name, and
every caller breaks; the refusal says which file imports what, so the model can act on it. A name the
user's own request mentions may go (they asked for the rename or the removal)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

from victor.agent.edit_blocks import PATH_TOKEN

REFUSAL = ("refused: this edit removes {names} from {path}, but {importers} import{s} {them}. Keep the names of "
           "existing functions and classes and change their bodies instead.")


def dropped_imports(path: str, before: str, after: str, files: Iterable[str], read: Callable[[str], str | None],
                    requests: Iterable[str]) -> dict[str, list[str]]:
    """name -> the workspace files that import it from `path`, for each top-level name `after` drops
    that the user's requests don't mention. Empty when either text isn't Python that parses."""
    said = set(re.findall(r"[A-Za-z_]\w*", PATH_TOKEN.sub(" ", " ".join(requests))))  # words, not paths
    dropped = _top_names(before) - _top_names(after) - said
    if not dropped:
        return {}
    module = path[:-3].replace("/", ".")
    found: dict[str, list[str]] = {}
    for other in files:
        text = read(other) if other.endswith(".py") and other != path else None
        if not text or not any(name in text for name in dropped):
            continue
        for name in _imported_from(text, module) & dropped:
            found.setdefault(name, []).append(other)
    return found


def refusal(path: str, dropped: dict[str, list[str]]) -> str:
    importers = sorted({importer for files in dropped.values() for importer in files})
    names = ", ".join(f"`{name}`" for name in sorted(dropped))
    return REFUSAL.format(names=names, path=path, importers=", ".join(importers), s="s" if len(importers) == 1 else "",
                          them="it" if len(dropped) == 1 else "them")


def _top_names(text: str) -> set[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _imported_from(text: str, module: str) -> set[str]:
    """The names `text` imports from `module` (`from module import a`, also by its last component)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    tail = module.rsplit(".", 1)[-1]
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
            and (node.module == module or node.module.rsplit(".", 1)[-1] == tail) for alias in node.names}
