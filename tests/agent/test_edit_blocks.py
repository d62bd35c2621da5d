"""Edits written as text become write_file/edit_file calls: whole files, Python snippets merged by
top-level name (a snippet never truncates a file), search/replace blocks, and only known files."""

from __future__ import annotations

from victor.agent.edit_blocks import edit_calls, mentioned_paths

MODULE = "import os\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n"


def calls(text: str, files: dict[str, str], targets: tuple = ()) -> list[tuple[str, dict]]:
    return [(c.name, c.arguments) for c in edit_calls(text, files, files.get, targets=targets)]


def test_a_whole_file_named_before_its_block() -> None:
    text = "Here's the implementation in `leap.py`:\n\n```python\ndef leap_year(y):\n    return y % 4 == 0\n```\nDone."
    assert calls(text, {"leap.py": "def leap_year(y):\n    pass\n"}) == [
        ("write_file", {"path": "leap.py", "content": "def leap_year(y):\n    return y % 4 == 0\n"})]


def test_a_python_snippet_replaces_only_its_function() -> None:
    text = "pkg/mod.py\n```python\ndef b():\n    return 3\n\n\ndef c():\n    return 4\n```"
    ((name, args),) = calls(text, {"pkg/mod.py": MODULE})
    assert name == "write_file" and args["content"] == (
        "import os\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 3\n\n\ndef c():\n    return 4\n")


def test_search_replace_blocks() -> None:
    text = "pkg/mod.py\n<<<<<<< SEARCH\n    return 2\n=======\n    return 20\n>>>>>>> REPLACE\n"
    assert calls(text, {"pkg/mod.py": MODULE}) == [
        ("edit_file", {"path": "pkg/mod.py", "old_text": "    return 2\n", "new_text": "    return 20\n"})]


def test_unknown_files_unparsable_python_and_unnamed_blocks_are_left_alone() -> None:
    files = {"a.py": MODULE}
    assert calls("new.py\n```python\nx = 1\n```", files) == []
    assert calls("a.py\n```python\ndef a(:\n```", files) == []
    assert calls("```python\ndef a():\n    return 5\n```", files) == []
    assert calls("a.py\n```python\nobj['path'] = 'a.py'\n```", files) == []  # defines none of a.py's functions
    assert calls("```python\ndef a():\n    return 5\n```", files, targets=("a.py",))[0][1]["content"].count("return 5") == 1
    assert calls("```python\ndef q():\n    return 5\n```", files, targets=("a.py",)) == []  # a.py has no q


def test_unnamed_blocks_go_to_the_target_defining_the_same_names() -> None:
    files = {"pkg/mod.py": MODULE, "other.py": "def z():\n    pass\n", "tests/test_mod.py": "class T:\n    pass\n"}
    text = "```python\ndef b():\n    return 9\n```\n\n```python\nclass T:\n    pass\n```"
    ((name, args),) = calls(text, files, targets=("other.py", "pkg/mod.py"))
    assert args["path"] == "pkg/mod.py" and "return 9" in args["content"] and "def a():" in args["content"]


def test_mentioned_paths_by_full_or_unambiguous_base_name() -> None:
    known = {"inventory/stock.py", "tests/test_stock.py", "a/util.py", "b/util.py"}
    assert mentioned_paths("tests/test_stock.py fails; see stock.py and util.py", known) == [
        "tests/test_stock.py", "inventory/stock.py"]
