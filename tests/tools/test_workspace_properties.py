"""Path confinement as a property (hypothesis): for generated paths — `..`, absolute parts, `~`, NUL,
symlinks in, out, up, into `.git` and `.victor` and in a loop, letter-case variants of `.git` and
`.victor` — Workspace.resolve never yields a path outside the root, and no write into git metadata or
`.victor/` gets through the approval policy without a human, whatever the mode and allow rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from victor.agent.policy import ApprovalPolicy
from victor.config.schema import ApprovalConfig, ToolRule
from victor.tools.registry import get_tool
from victor.tools.workspace import PathRefused, Workspace

NAMES = ["..", ".", "", "src", "app.py", "new.txt", ".git", ".GIT", ".Git", "config", "hooks", ".victor", ".VICTOR",
         ".Victor", "profiles.yaml", "store", "link_in", "link_out", "link_up", "link_git", "link_victor", "link_abs",
         "loop_a", "~", "a\0b", "x" * 300, "sub", "..."]
WRITE_FILE = get_tool("write_file")
PREFIXES = st.sampled_from(["", "/", "//", "./", "~/", "ROOT/", "ROOT/../", "/etc/", "/tmp/"])


def _workspace(base: Path, gitfile: bool) -> Path:
    root = base / ("gitfile" if gitfile else "gitdir")
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("x\n")
    (root / ".victor").mkdir()
    (root / ".victor" / "profiles.yaml").write_text("{}\n")
    git = root / ("store" if gitfile else ".git")
    (git / "hooks").mkdir(parents=True)
    (git / "config").write_text("[core]\n")
    if gitfile:
        (root / ".git").write_text("gitdir: store\n")
    (base / "outside").mkdir(exist_ok=True)
    links = {"link_in": "src", "link_out": str(base / "outside"), "link_up": "..", "link_git": ".git",
             "link_victor": ".victor", "link_abs": str(root / "src"), "loop_a": "loop_b", "loop_b": "loop_a",
             "sub": "src/../store"}
    for name, target in links.items():
        (root / name).symlink_to(target)
    return root


@pytest.fixture(scope="module", params=[False, True], ids=["git-dir", "git-file"])
def root(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _workspace(tmp_path_factory.mktemp("confine"), request.param)


def _paths() -> st.SearchStrategy[str]:
    parts = st.lists(st.sampled_from(NAMES) | st.text(max_size=4), max_size=8)
    return st.builds(lambda prefix, names: prefix + "/".join(names), PREFIXES, parts)


def _in_read_only_place(root: Path, real: Path) -> bool:
    """The oracle, independent of the code under test: under .git/.victor in any case, or the git dir."""
    parts = [part.casefold() for part in real.relative_to(root).parts]
    return ".git" in parts or ".victor" in parts or (bool(parts) and parts[0] == "store" and (root / ".git").is_file())


@pytest.fixture(scope="module")
def workspace(root: Path) -> Workspace:
    return Workspace(root, [".env"])


@pytest.fixture(scope="module")
def policy(workspace: Workspace) -> ApprovalPolicy:
    """Full-auto, with allow rules for every write: only the read-only places may still ask."""
    rules = {name: ToolRule(allow=["**", "*", ".git/**", ".victor/*"]) for name in ("write_file", "edit_file")}
    return ApprovalPolicy(ApprovalConfig(mode="full-auto", tools=rules), workspace)


@settings(max_examples=2000, deadline=None)
@given(path=_paths(), write=st.booleans())
def test_resolve_never_leaves_the_root_and_writes_into_git_or_victor_need_a_human(root: Path, workspace: Workspace,
                                                                                 path: str, write: bool) -> None:
    path = path.replace("ROOT", str(root))
    try:
        real = workspace.resolve(path, write=write)
    except PathRefused:
        return
    assert real == root or root in real.parents, (path, real)
    assert os.path.realpath(real) == str(real), (path, real)  # no symlink left to follow later
    if write and _in_read_only_place(root, real):
        assert workspace.needs_human(workspace.relative(real)), (path, real)


@settings(max_examples=2000, deadline=None)
@given(path=_paths())
def test_no_write_into_git_or_victor_is_allowed_by_policy(root: Path, workspace: Workspace, policy: ApprovalPolicy,
                                                          path: str) -> None:
    path = path.replace("ROOT", str(root))
    try:
        real = workspace.resolve(path, write=True)
        verdict = policy.decide(WRITE_FILE, {"path": path, "content": ""}).verdict
    except PathRefused:
        return
    if _in_read_only_place(root, real):
        assert verdict == "ask", (path, real, verdict)
