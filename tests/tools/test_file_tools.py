"""read_file, list_dir, glob, grep, write_file and edit_file on a real repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.tools.base import ToolContext, ToolError
from victor.tools.editing import edit_file
from victor.tools.files import MAX_READ_LINES, glob, list_dir, read_file, write_file
from victor.tools.search import grep


def test_read_file_whole_and_by_line_range(ctx: ToolContext, repo: Path) -> None:
    assert read_file(ctx, "README.md").output == "# Demo\n\nA demo project.\n"
    ranged = read_file(ctx, "src/app.py", start_line=2, end_line=2)
    assert ranged.output.startswith("    return 42\n")
    assert "[lines 2-2 of 6" in ranged.output


def test_read_file_caps_long_files_and_says_how_to_read_more(ctx: ToolContext, repo: Path) -> None:
    (repo / "long.txt").write_text("".join(f"line {n}\n" for n in range(1, 1001)))
    result = read_file(ctx, "long.txt")
    assert result.output.count("\n") == MAX_READ_LINES + 1
    assert f"[lines 1-{MAX_READ_LINES} of 1000; read more with start_line]" in result.output


def test_read_file_refuses_binaries_and_suggests_near_names(ctx: ToolContext, repo: Path) -> None:
    (repo / "blob.bin").write_bytes(b"\0\1\2")
    with pytest.raises(ToolError, match="binary"):
        read_file(ctx, "blob.bin")
    with pytest.raises(ToolError, match="Did you mean: README.md"):
        read_file(ctx, "READM.md")


def test_list_dir_and_glob(ctx: ToolContext) -> None:
    listing = list_dir(ctx, ".").output.splitlines()
    assert listing[:3] == [".git/", "build/", "src/"] and "README.md" in listing
    assert glob(ctx, "*.py").output == "src/app.py"  # build/ is .gitignore'd
    assert glob(ctx, "src/**/*.py").output == "src/app.py"
    assert glob(ctx, "*.rs").output == "no files match"


def test_grep_respects_gitignore_and_skips_protected_files(ctx: ToolContext) -> None:
    result = grep(ctx, r"def \w+\(")
    assert result.output.splitlines()[:2] == ["src/app.py:1: def main():", "src/app.py:5: def helper():"]
    assert "build/out.py" not in result.output
    secret = grep(ctx, "API_TOKEN")
    assert "no matches" in secret.output and "1 protected file(s) not searched" in secret.output
    assert grep(ctx, "^# DEMO", ignore_case=True, include="*.md").output == "README.md:1: # Demo"
    assert grep(ctx, "demo", include="*.py").output == "no matches"
    with pytest.raises(ToolError, match="invalid regular expression"):
        grep(ctx, "(")


def test_write_file_creates_parents_and_writes_into_git_need_a_human(ctx: ToolContext, repo: Path) -> None:
    assert write_file(ctx, "docs/new.md", "hello\n").summary == "created docs/new.md"
    assert (repo / "docs" / "new.md").read_text() == "hello\n"
    assert not ctx.workspace.needs_human("docs/new.md")
    assert ctx.workspace.needs_human(".git/hooks/post-checkout")


def test_edit_file_replaces_exactly_one_occurrence(ctx: ToolContext, repo: Path) -> None:
    result = edit_file(ctx, "src/app.py", "def main():\n    return 42", "def main():\n    return 7")
    assert result.summary == "edited src/app.py:1"
    assert (repo / "src" / "app.py").read_text().startswith("def main():\n    return 7\n")


def test_edit_file_fails_on_ambiguous_text_naming_the_lines(ctx: ToolContext) -> None:
    with pytest.raises(ToolError, match=r"occurs 2 times in src/app.py \(lines 2, 6\)"):
        edit_file(ctx, "src/app.py", "return 42", "return 0")


def test_edit_file_not_found_shows_the_nearest_match(ctx: ToolContext, repo: Path) -> None:
    with pytest.raises(ToolError) as failure:
        edit_file(ctx, "src/app.py", "def helper():\n    return 43", "x")
    message = failure.value.message
    assert "old_text not found" in message
    assert "Nearest match (line 5" in message and "def helper():\n    return 42" in message
    assert (repo / "src" / "app.py").read_text().count("return 42") == 2
