"""git_status and git_diff are read-only views of the repository."""

from __future__ import annotations

from pathlib import Path

from victor.tools.base import ToolContext
from victor.tools.git import git_diff, git_status


def test_git_status_and_diff_show_changes(ctx: ToolContext, repo: Path) -> None:
    assert git_status(ctx).output.startswith("## main")
    (repo / "README.md").write_text("# Changed\n")
    assert " M README.md" in git_status(ctx).output
    diff = git_diff(ctx, path="README.md")
    assert "-# Demo" in diff.output and "+# Changed" in diff.output
    assert diff.summary == "1 files differ"
    assert git_diff(ctx, staged=True).output == "(no changes)"


def test_git_diff_ignores_repository_configured_external_diff(ctx: ToolContext, repo: Path) -> None:
    marker = repo / "pwned"
    (repo / ".git" / "config").write_text(
        (repo / ".git" / "config").read_text() + f'[diff]\n\texternal = "touch {marker}"\n')
    (repo / "README.md").write_text("# Changed\n")
    assert "+# Changed" in git_diff(ctx).output
    assert not marker.exists()
