"""The first turn's context: files the prompt names (and the workspace modules a named test imports)
are read in, protected files never, each file once, and the repository map lists top-level names."""

from __future__ import annotations

from pathlib import Path

from victor.agent.grounding import ground, repo_map, workspace_paths
from victor.tools.workspace import Workspace


def make(root: Path) -> Workspace:
    (root / "inventory").mkdir()
    (root / "tests").mkdir()
    (root / "inventory" / "__init__.py").write_text("")
    (root / "inventory" / "stock.py").write_text("def needs_restock(items, limit):\n    return []\n\n\ndef _helper():\n    pass\n")
    (root / "tests" / "test_stock.py").write_text("import unittest\nfrom inventory.stock import needs_restock\n")
    (root / ".env").write_text("TOKEN=abc\n")
    return Workspace(root)


def test_a_named_test_brings_the_module_it_tests(tmp_path: Path) -> None:
    workspace = make(tmp_path)
    files = workspace_paths(workspace)
    context = ground("tests/test_stock.py fails; fix it. Also see .env", workspace, files, first=True, shown="")
    assert context.read == ["inventory/stock.py", "tests/test_stock.py"]
    assert "inventory/stock.py\n```python\ndef needs_restock(items, limit):" in context.text
    assert "TOKEN" not in context.text
    assert context.text.startswith("Repository files:\n")
    again = ground("tests/test_stock.py still fails", workspace, files, first=False, shown=context.text)
    assert again.text == "" and again.read == ["inventory/stock.py", "tests/test_stock.py"]


def test_the_map_lists_public_top_level_names_within_budget(tmp_path: Path) -> None:
    workspace = make(tmp_path)
    text = repo_map(tmp_path, workspace_paths(workspace))
    assert "inventory/stock.py: needs_restock\n" in text + "\n" and "_helper" not in text
    assert repo_map(tmp_path, [f"m{i}.txt" for i in range(400)], budget=100).endswith("more files]")


def test_a_test_not_to_change_is_read_only_when_reported_failing(tmp_path: Path) -> None:
    workspace = make(tmp_path)
    files = workspace_paths(workspace)
    stub = ground("Implement it in inventory/stock.py. The tests are in tests/test_stock.py; don't change them.",
                  workspace, files, first=False, shown="")
    assert stub.read == ["inventory/stock.py"]
    bug = ground("tests/test_stock.py fails. Fix it; don't change the tests.", workspace, files, first=False, shown="")
    assert bug.read == ["inventory/stock.py", "tests/test_stock.py"]
    assert "tests/test_stock.py (a test: read it, don't change it)\n```python" in bug.text


def test_a_long_named_file_gives_its_head_and_stays_readable(tmp_path: Path) -> None:
    workspace = make(tmp_path)
    (tmp_path / "README.md").write_text("# Title\n" + "line of text\n" * 1000)
    context = ground("What does this repository do? Read README.md first.", workspace, workspace_paths(workspace),
                     first=False, shown="")
    assert context.text.startswith("README.md\n```markdown\n# Title\nline of text\n") and context.read == []
    assert "more characters: read_file with start_line]" in context.text and len(context.text) < 6_200


def test_imports_are_followed_two_levels_relative_ones_too(tmp_path: Path) -> None:
    (tmp_path / "cal").mkdir()
    (tmp_path / "cal" / "__init__.py").write_text("from cal.months import days\n")
    (tmp_path / "cal" / "months.py").write_text("from .years import is_leap\n\n\ndef days(y, m):\n    return 28\n")
    (tmp_path / "cal" / "years.py").write_text("def is_leap(y):\n    return False\n")
    (tmp_path / "test_cal.py").write_text("from cal import days\n")
    workspace = Workspace(tmp_path)
    context = ground("test_cal.py fails", workspace, workspace_paths(workspace), first=False, shown="")
    assert context.read == ["cal/__init__.py", "cal/months.py", "test_cal.py"]
    deeper = ground("cal/months.py is wrong", workspace, workspace_paths(workspace), first=False, shown="")
    assert deeper.read == ["cal/months.py", "cal/years.py"]
