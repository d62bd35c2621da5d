"""Git run on hostile repositories: every config-driven command path closed, so that nothing a cloned
repository or the sandbox wrote (attributes, nested git dirs, a `.git` file's git dir and its config)
runs or is interpreted as a command on the host. `closed_git` runs git through a Runner: inside the
sandbox container when there is one (git.py), else on the host (`host_runner`); either way as follows.

Config-driven command paths, and how each is closed:
- system and global config and attributes: GIT_CONFIG_NOSYSTEM=1, GIT_CONFIG_GLOBAL=/dev/null,
  GIT_ATTR_NOSYSTEM=1, core.attributesFile=/dev/null (the user's own config cannot widen anything);
- filters (`filter.<driver>.clean/smudge/process`), diff drivers (`diff.<driver>.command/textconv`) and
  merge drivers, from the repository config or anything it includes (`include.path`, `includeIf`):
  every configured driver is listed first (`git config --list --name-only --includes`) and overridden
  with an empty command (a filter's `required` with false); diffs also pass --no-ext-diff, --no-textconv;
- fsmonitor, hooks, pagers, external diff, editors, ssh, askpass, credential helpers, alternate-refs
  command: fixed command-line config (`FIXED_CONFIG`), which wins over repository config; --no-pager,
  and no terminal (a new session, stdin from /dev/null);
- submodules: never entered (submodule.recurse=false, diff.ignoreSubmodules=all, --ignore-submodules);
- fetches (lazy fetches of a partial clone, whose `remote.*.uploadpack` is a command) and every
  transport: GIT_NO_LAZY_FETCH=1, protocol.allow=never;
- the repository: `--git-dir=ROOT/.git --work-tree=ROOT` (no discovery, `core.worktree` ignored,
  safe.bareRepository=explicit), once gitrepo.py has checked where that git dir may reach;
- the program and its environment: git is found on the PATH's absolute entries outside the
  workspace (a `./git` planted there never runs); the environment is rebuilt from scratch (no GIT_*
  variable of the host reaches git), and trace2 is read from no config file.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from victor.sandbox.hostpath import find_program, trusted_path
from victor.tools.base import ToolError
from victor.tools.gitrepo import checked_git_dir

if TYPE_CHECKING:
    from victor.sandbox.base import Sandbox

TIMEOUT_S = 60
KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE")  # all git gets of the host's environment
BASE_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_ATTR_NOSYSTEM": "1",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
}
FIXED_CONFIG = [
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.pager", "cat"),
    ("pager.status", "false"),
    ("pager.diff", "false"),
    ("diff.external", ""),
    ("core.editor", ":"),
    ("sequence.editor", ":"),
    ("core.sshCommand", "false"),
    ("core.askPass", ""),
    ("credential.helper", ""),
    ("core.alternateRefsCommand", ""),
    ("core.attributesFile", "/dev/null"),
    ("core.untrackedCache", "false"),
    ("core.quotePath", "false"),
    ("color.ui", "false"),
    ("submodule.recurse", "false"),
    ("diff.ignoreSubmodules", "all"),
    ("status.submoduleSummary", "false"),
    ("protocol.allow", "never"),
    ("safe.bareRepository", "explicit"),
]
# Config keys whose value is a command, for drivers the repository names itself.
DRIVER_COMMAND = re.compile(
    r"^(filter\..+\.(clean|smudge|process)|diff\..+\.(command|textconv)|merge\..+\.driver)$", re.IGNORECASE | re.DOTALL)
REQUIRED_FILTER = re.compile(r"^filter\.(.+)\.(clean|smudge|process)$", re.IGNORECASE | re.DOTALL)


Runner = Callable[[list[str], list[tuple[str, str]]], tuple[int, str, str]]  # args, config -> code, out, err
LIST_CONFIG = ["config", "--list", "--name-only", "--includes"]


def closed_git(run: Runner, args: list[str]) -> tuple[int, str, str]:
    """`git ARGS` through `run` (on the host or in the sandbox) with every command path closed: the
    repository's driver commands are listed first, then overridden. Returns (exit code, stdout, stderr)."""
    code, listing, error = run(LIST_CONFIG, FIXED_CONFIG)
    if code != 0:
        raise ToolError(f"git cannot read this repository's config: {_first_line(error)}")
    return run(args, [*FIXED_CONFIG, *driver_overrides(listing.splitlines())])


def driver_overrides(keys: list[str]) -> list[tuple[str, str]]:
    """An empty command for every driver command among config `keys` (a filter also stops being required)."""
    overrides: dict[str, str] = {}
    for key in keys:
        if DRIVER_COMMAND.match(key):
            overrides[key] = ""
            required = REQUIRED_FILTER.match(key)
            if required:
                overrides[f"filter.{required.group(1)}.required"] = "false"
    return list(overrides.items())


def host_runner(root: Path, timeout: float = TIMEOUT_S) -> Runner:
    """A Runner for git on the host, on the repository at `root` only (`--git-dir`, `--work-tree`), with
    an environment built from scratch. Raises ToolError when git is missing or the workspace's `.git`
    breaks a rule of gitrepo.py."""
    kept = {name: os.environ[name] for name in KEPT_ENV if name in os.environ}
    kept["PATH"] = trusted_path(root)
    program = find_program("git", root)
    if program is None:
        raise ToolError("git is not installed (not found on PATH)", hint="install git")
    checked_git_dir(root, program)
    repository = [f"--git-dir={root / '.git'}", f"--work-tree={root}"]

    def run(args: list[str], config: list[tuple[str, str]]) -> tuple[int, str, str]:
        try:
            done = subprocess.run([program, *repository, "--no-pager", *args], cwd=root,
                                  env={**kept, **_config_env(config)}, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout, start_new_session=True)
        except subprocess.TimeoutExpired:
            raise ToolError(f"git took longer than {timeout:g} s and was stopped") from None
        except OSError as exc:
            raise ToolError(f"git could not run: {exc.strerror or exc}") from None
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")

    return run


def sandbox_runner(sandbox: Sandbox) -> Runner:
    """A Runner for git inside the sandbox container (stdout and stderr arrive as one stream)."""

    def run(args: list[str], config: list[tuple[str, str]]) -> tuple[int, str, str]:
        env = _config_env([*config, ("safe.directory", "*")])
        command = shlex.join(["env", *(f"{name}={value}" for name, value in env.items()), "git", "--no-pager", *args])
        result = sandbox.exec(command, timeout_s=TIMEOUT_S)
        if result.timed_out:
            raise ToolError(f"git took longer than {TIMEOUT_S} s in the sandbox and was stopped")
        return result.exit_code, result.output, result.output

    return run


def _config_env(config: list[tuple[str, str]]) -> dict[str, str]:
    env = {**BASE_ENV, "GIT_CONFIG_COUNT": str(len(config))}
    for index, (key, value) in enumerate(config):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else "no reason given"
