"""Workspace confinement: paths stay inside the root, symlinks out are refused, .git is read-only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from victor.tools.workspace import PathRefused, Workspace


@pytest.fixture
def ws(repo: Path) -> Workspace:
    return Workspace(repo, [".env", ".env.*", "*.pem", "id_rsa*"])


def test_relative_and_absolute_paths_inside_resolve(ws: Workspace, repo: Path) -> None:
    assert ws.resolve("src/app.py") == repo / "src" / "app.py"
    assert ws.resolve(str(repo / "README.md")) == repo / "README.md"
    assert ws.resolve("src/../README.md") == repo / "README.md"


@pytest.mark.parametrize("path", ["../outside.txt", "src/../../x", "/etc/passwd", "~/.ssh/id_rsa", "", "a\0b"])
def test_paths_leaving_the_workspace_are_refused(ws: Workspace, path: str) -> None:
    with pytest.raises(PathRefused):
        ws.resolve(path)


def test_symlink_pointing_outside_is_refused_for_read_and_write(ws: Workspace, repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    (repo / "link").symlink_to(outside)
    (repo / "dirlink").symlink_to(tmp_path)
    for path in ("link", "dirlink/secret.txt"):
        with pytest.raises(PathRefused, match="symlink"):
            ws.resolve(path)
        with pytest.raises(PathRefused, match="symlink"):
            ws.resolve(path, write=True)


def test_symlink_inside_the_workspace_is_followed(ws: Workspace, repo: Path) -> None:
    (repo / "readme-link").symlink_to(repo / "README.md")
    assert ws.resolve("readme-link") == repo / "README.md"


def test_git_directory_is_readable_but_not_writable(ws: Workspace, repo: Path) -> None:
    assert ws.resolve(".git/HEAD") == repo / ".git" / "HEAD"
    with pytest.raises(PathRefused, match="read-only"):
        ws.resolve(".git/hooks/pre-commit", write=True)
    (repo / "hooks").symlink_to(repo / ".git" / "hooks")
    with pytest.raises(PathRefused, match="read-only"):
        ws.resolve("hooks/pre-commit", write=True)


@pytest.mark.parametrize(
    ("path", "protected"),
    [(".env", True), (".env.production", True), ("config/.env", True), ("certs/server.pem", True),
     ("id_rsa.pub", True), ("README.md", False), ("environment.py", False)],
)
def test_deny_list_marks_protected_paths(ws: Workspace, path: str, protected: bool) -> None:
    assert ws.is_protected(path) is protected


def test_workspace_root_itself_is_allowed(ws: Workspace, repo: Path) -> None:
    assert ws.resolve(".") == repo
    assert ws.relative(repo) == "."
    assert os.path.isdir(ws.resolve("src"))
