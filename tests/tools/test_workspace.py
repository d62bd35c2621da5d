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


def test_writes_into_git_metadata_and_victor_config_need_a_human(ws: Workspace, repo: Path) -> None:
    assert ws.resolve(".git/HEAD") == repo / ".git" / "HEAD"
    (repo / "hooks").symlink_to(repo / ".git" / "hooks")
    for path in (".git/hooks/pre-commit", "hooks/pre-commit", ".GIT/config", "sub/.Git/config", ".victor/profiles.yaml",
                 ".VICTOR/profiles.yaml", ".git"):
        assert ws.needs_human(ws.relative(ws.resolve(path, write=True))), path
    assert not ws.needs_human("src/app.py") and not ws.needs_human("gitignore/x")


def test_a_git_file_s_git_dir_inside_the_workspace_needs_a_human(ws: Workspace, repo: Path) -> None:
    (repo / ".git").rename(repo / "store")
    (repo / ".git").write_text("gitdir: store\n")
    assert ws.needs_human("store/hooks/pre-commit") and ws.needs_human("store")
    assert not ws.needs_human("storefront/x")


def test_victor_state_inside_the_workspace_needs_a_human(ws: Workspace, repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("VICTOR_HOME", str(repo / "state"))
    assert ws.needs_human("state/audit/audit.log")
    assert not ws.needs_human("statement.md")


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
