"""Nothing below the front ends imports them: `victor.ui` is imported only by `ui/` itself, the
commands, `cli.py` and `session.py` (the composition root). Layers below tell the user things
through a `Notify` passed down. Read from the source's import statements, not by running it."""

from __future__ import annotations

import ast
from pathlib import Path

import victor

SOURCE = Path(victor.__file__).parent
MAY_IMPORT_UI = ("ui/", "commands/", "cli.py", "session.py")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module the import statements of `source` (a module of `package`) name, relative
    imports resolved; `from a import b` names both `a` and `a.b`."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def reaches_ui(names: set[str]) -> list[str]:
    return sorted(name for name in names if name == "victor.ui" or name.startswith("victor.ui."))


def test_only_the_front_ends_and_the_session_import_the_ui() -> None:
    offenders = {}
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE).as_posix()
        if not where.startswith(MAY_IMPORT_UI):
            package = ".".join(("victor", *path.relative_to(SOURCE).parent.parts))
            if ui := reaches_ui(imported_modules(path.read_text(), package)):
                offenders[where] = ui
    assert offenders == {}, f"these modules reach up into victor.ui: {offenders}"


def test_every_spelling_of_a_ui_import_is_seen() -> None:
    for line in ("import victor.ui.output", "from victor.ui import output", "from victor import ui",
                 "from ..ui.output import warn", "def f():\n    from victor.ui.output import warn"):
        assert reaches_ui(imported_modules(line, "victor.routing")), line
    assert not reaches_ui(imported_modules("from .ui_text import x\nimport victor.uix", "victor.routing"))
