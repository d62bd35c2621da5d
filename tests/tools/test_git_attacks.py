"""Workspace content is hostile to the host: each config-driven command path of git, planted the way a
sandbox command or a cloned repository could plant it, and then `victor tools run git_status` and
`git_diff` through the real CLI — in a real container (git runs there) and with `backend: none` (git
runs on the host, every path closed). The planted command writes a marker on the host, outside the
workspace; it must never appear."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

BACKENDS = [pytest.param("docker", marks=pytest.mark.docker), "none"]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def _script(path: Path, marker: Path) -> Path:
    """An executable that leaves `marker` behind, then passes its input through."""
    path.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    path.chmod(0o755)
    return path


def _hostile_git_dir(repo: Path) -> Path:
    """Move `.git` into the workspace under another name and leave a `.git` FILE pointing at it, the
    way `git init --separate-git-dir` does: a git dir whose config a sandbox could write."""
    (repo / ".git").rename(repo / "store")
    (repo / ".git").write_text("gitdir: store\n")
    return repo / "store"


def _append(config: Path, text: str) -> None:
    config.write_text(config.read_text() + text)


def _dirty(repo: Path) -> None:
    """A tracked file whose content must be hashed again (same size, new mtime), and one that changed."""
    (repo / "README.md").write_text((repo / "README.md").read_text())
    subprocess.run(["touch", "-d", "2001-01-01", str(repo / "README.md")], check=True)
    (repo / "src" / "app.py").write_text("def main():\n    return 7\n")


def filter_via_git_file(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    _append(store / "config", f'[filter "x"]\n\tclean = touch {marker}; cat\n\tsmudge = touch {marker}; cat\n'
                              f'\tprocess = touch {marker}\n')
    (repo / ".gitattributes").write_text("* filter=x\n")


def _submodule(repo: Path, config: str, attributes: str) -> Path:
    """A submodule `sub` whose `sub/.git` points at a fake git dir `evil` (committed, or written by the
    sandbox) with `config` appended; `sub` holds one file with the given attributes, changed."""
    sub = repo / "sub"
    sub.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(sub)], check=True)
    (sub / "a.txt").write_text("hi\n")
    (sub / ".gitattributes").write_text(attributes)
    _git(sub, "add", ".")
    _git(sub, "-c", "user.email=a@b.test", "-c", "user.name=a", "commit", "-qm", "sub")
    (sub / ".git").rename(repo / "evil")
    (sub / ".git").write_text("gitdir: ../evil\n")
    _append(repo / "evil" / "config", config)
    (repo / ".gitmodules").write_text('[submodule "sub"]\n\tpath = sub\n\turl = ./sub\n')
    _git(repo, "update-index", "--add", "--cacheinfo", f"160000,{_git(repo / 'evil', 'rev-parse', 'HEAD')},sub")
    _git(repo, "add", ".gitmodules")
    _git(repo, "commit", "-qm", "submodule")
    (sub / "a.txt").write_text("ho\n")
    return repo / "evil"


def filter_via_submodule_git_dir(repo: Path, marker: Path) -> None:
    """The issue's reproduction: the submodule's fake git dir configures a filter for every file."""
    _submodule(repo, f'[filter "x"]\n\tclean = touch {marker}; cat\n', "* filter=x\n")


def external_diff_via_submodule(repo: Path, marker: Path) -> None:
    """`diff.submodule = diff` shows a submodule's changes with a child git, which --no-ext-diff
    never reached: the submodule's own `diff.external` ran."""
    _submodule(repo, f"[diff]\n\texternal = {_script(repo / 'ext.sh', marker)}\n", "")
    _append(_hostile_git_dir(repo) / "config", "[diff]\n\tsubmodule = diff\n")


def textconv_via_submodule(repo: Path, marker: Path) -> None:
    _submodule(repo, f'[diff "x"]\n\ttextconv = {_script(repo / "conv.sh", marker)}\n', "* diff=x\n")
    _append(_hostile_git_dir(repo) / "config", "[diff]\n\tsubmodule = diff\n")


def diff_command_via_submodule(repo: Path, marker: Path) -> None:
    _submodule(repo, f'[diff "x"]\n\tcommand = {_script(repo / "drv.sh", marker)}\n', "* diff=x\n")
    _append(_hostile_git_dir(repo) / "config", "[diff]\n\tsubmodule = diff\n")


def filter_via_include_path(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    (repo / "payload.cfg").write_text(f'[filter "x"]\n\tclean = touch {marker}; cat\n')
    _append(store / "config", "[include]\n\tpath = ../payload.cfg\n")
    (repo / ".gitattributes").write_text("* filter=x\n")


def filter_via_include_if(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    (repo / "payload.cfg").write_text(f'[filter "y"]\n\tprocess = touch {marker}\n\trequired = true\n')
    _append(store / "config", '[includeIf "gitdir:**"]\n\tpath = ../payload.cfg\n')
    (repo / ".gitattributes").write_text("*.py filter=y\n*.md filter=y\n")


def fsmonitor(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    hook = _script(repo / "fsmonitor.sh", marker)
    _append(store / "config", f"[core]\n\tfsmonitor = {hook}\n\tfsmonitorHookVersion = 2\n\tuntrackedCache = true\n")


def external_diff(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    _append(store / "config", f"[diff]\n\texternal = {_script(repo / 'ext.sh', marker)}\n")


def diff_driver_command(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    _append(store / "config", f'[diff "x"]\n\tcommand = {_script(repo / "drv.sh", marker)}\n')
    (repo / ".gitattributes").write_text("* diff=x\n")


def textconv(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    _append(store / "config", f'[diff "x"]\n\ttextconv = {_script(repo / "conv.sh", marker)}\n\tcachetextconv = true\n')
    (repo / ".gitattributes").write_text("* diff=x\n")


def hooks(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    for directory in (store / "hooks", repo / "myhooks"):
        directory.mkdir(exist_ok=True)
        for name in ("post-index-change", "reference-transaction", "pre-auto-gc", "post-checkout"):
            _script(directory / name, marker)
    _append(store / "config", "[core]\n\thooksPath = ../myhooks\n")


def pager(repo: Path, marker: Path) -> None:
    store = _hostile_git_dir(repo)
    script = _script(repo / "pager.sh", marker)
    _append(store / "config", f"[core]\n\tpager = {script}\n[pager]\n\tstatus = {script}\n\tdiff = {script}\n")


def lazy_fetch(repo: Path, marker: Path) -> None:
    """A partial clone missing the blob the diff needs: git fetches it from the promisor remote, whose
    `uploadpack` is a command."""
    store = _hostile_git_dir(repo)
    blob = _git(repo, "rev-parse", "HEAD:src/app.py")
    (store / "objects" / blob[:2] / blob[2:]).unlink()
    upload = repo / "upload.sh"
    upload.write_text(f'#!/bin/sh\ntouch {marker}\nexec git-upload-pack "$@"\n')
    upload.chmod(0o755)
    _append(store / "config", f"[core]\n\trepositoryformatversion = 1\n[extensions]\n\tpartialClone = origin\n"
                              f'[remote "origin"]\n\turl = {repo}\n\tpromisor = true\n\tuploadpack = {upload}\n')


ATTACKS: list[Callable[[Path, Path], None]] = [
    filter_via_git_file, filter_via_submodule_git_dir, filter_via_include_path, filter_via_include_if, lazy_fetch,
    external_diff_via_submodule, textconv_via_submodule, diff_command_via_submodule,
    fsmonitor, external_diff, diff_driver_command, textconv, hooks, pager,
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, victor_home: Path) -> str:
    if request.param == "docker":
        request.getfixturevalue("sandbox_image")
    (victor_home / "profiles.yaml").write_text(f"sandbox:\n  backend: {request.param}\n")
    return request.param


@pytest.mark.parametrize("plant", ATTACKS, ids=[attack.__name__ for attack in ATTACKS])
def test_no_git_config_path_runs_a_command_on_the_host(cli, repo: Path, tmp_path: Path, backend: str,
                                                       plant: Callable[[Path, Path], None]) -> None:
    marker = tmp_path / "host-was-pwned"
    plant(repo, marker)
    _dirty(repo)
    for tool, args in [("git_status", {}), ("git_diff", {}), ("git_diff", {"staged": True})]:
        done = cli("tools", "run", tool, "--args", json.dumps(args), cwd=repo)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
        assert not marker.exists(), f"{plant.__name__}: {tool} {args} ran a planted command on the host"


@pytest.mark.parametrize("plant", [filter_via_git_file, filter_via_submodule_git_dir, fsmonitor, pager],
                         ids=lambda attack: attack.__name__)
def test_git_tools_still_answer_in_a_hostile_repository(cli, repo: Path, tmp_path: Path, backend: str,
                                                        plant: Callable[[Path, Path], None]) -> None:
    plant(repo, tmp_path / "marker")
    _dirty(repo)
    status = cli("tools", "run", "git_status", "--args", "{}", cwd=repo)
    assert status.returncode == 0 and status.stdout.startswith("## main"), status.stderr
    assert " M src/app.py" in status.stdout
    diff = cli("tools", "run", "git_diff", "--args", '{"path": "src/app.py"}', cwd=repo)
    assert diff.returncode == 0 and "+    return 7" in diff.stdout, diff.stderr


def test_the_chat_diff_command_closes_the_same_paths(victor, repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "host-was-pwned"
    filter_via_git_file(repo, marker)
    _dirty(repo)
    done = victor("chat", "--plain", "--profile", "embedded", cwd=repo, input="/diff\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "+    return 7" in done.stdout and not marker.exists()


@pytest.mark.docker
def test_with_a_container_git_runs_inside_it(cli, repo: Path, sandbox_image: str, victor_home: Path) -> None:
    from victor import paths

    (repo / "README.md").write_text("# Changed\n")
    done = cli("tools", "run", "git_status", "--args", "{}", cwd=repo)
    assert done.returncode == 0 and " M README.md" in done.stdout, done.stderr
    records = [json.loads(line) for line in paths.audit_log_file().read_text().splitlines()]
    commands = [record["command"] for record in records if record["action"] == "sandbox_exec"]
    assert any(" git --no-pager status " in command for command in commands), commands


def test_a_git_program_planted_in_the_workspace_never_runs(cli, repo: Path, tmp_path: Path, backend: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "host-was-pwned"
    _script(repo / "git", marker)
    monkeypatch.setenv("PATH", os.pathsep.join([str(repo), ".", "", os.environ["PATH"]]))
    for tool, args in [("git_status", {}), ("git_diff", {}), ("glob", {"pattern": "*.py"})]:
        done = cli("tools", "run", tool, "--args", json.dumps(args), cwd=repo)
        assert done.returncode == 0, done.stderr
        assert not marker.exists(), f"{tool} ran ./git from the workspace"


def _host_repository(base: Path) -> Path:
    """A private repository elsewhere on the host, which the workspace must never show."""
    private = base / "private"
    private.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(private)], check=True)
    (private / "plans.txt").write_text("PRIVATE-" + "PLANS\n")
    _git(private, "add", "plans.txt")
    _git(private, "-c", "user.email=a@b.test", "-c", "user.name=a", "commit", "-qm", "private")
    return private


def _plant_commondir(workspace: Path, private: Path) -> None:
    for name in ("refs", "objects"):
        (workspace / ".git" / name).mkdir(parents=True)
    (workspace / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (workspace / ".git" / "commondir").write_text(f"{private / '.git'}\n")


def _plant_gitfile(workspace: Path, private: Path) -> None:
    (workspace / ".git").write_text(f"gitdir: {private / '.git'}\n")


@pytest.mark.parametrize("plant", [_plant_commondir, _plant_gitfile], ids=["commondir", "gitfile"])
def test_a_planted_git_dir_never_shows_another_host_repository(cli, tmp_path: Path, backend: str,
                                                               plant: Callable[[Path, Path], None]) -> None:
    """A workspace with no `.git` of its own: the sandbox may create one that borrows a host repository
    (`commondir`, or a `.git` file); git would then diff that repository's files into the model's view."""
    private = _host_repository(tmp_path)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "notes.md").write_text("notes\n")
    plant(workspace, private)
    for tool, args in [("git_status", {}), ("git_diff", {}), ("git_diff", {"staged": True}), ("grep", {"pattern": "PRIV"})]:
        done = cli("tools", "run", tool, "--args", json.dumps(args), cwd=workspace)
        assert "PRIVATE-PLANS" not in done.stdout + done.stderr and "plans.txt" not in done.stdout, (tool, done)


def test_a_linked_worktree_outside_the_workspace_still_works(cli, tmp_path: Path, backend: str) -> None:
    private = _host_repository(tmp_path)
    _git(private, "worktree", "add", "-q", str(tmp_path / "linked"))
    (tmp_path / "linked" / "plans.txt").write_text("changed\n")
    done = cli("tools", "run", "git_diff", "--args", "{}", cwd=tmp_path / "linked")
    assert done.returncode == 0 and "+changed" in done.stdout, done.stderr
