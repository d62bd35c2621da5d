"""A differential check of the shell rules against bash itself. Every line the allow rules approve, from
generated literal lines and from random shell-syntax soup, is run by real bash with a PATH of recording
stubs for the allowed commands only: bash must run exactly the argument lists the matcher approved and
create no file. Every soup line no deny rule matches is run with stubs for `rm` and `git` (and the real
env, nice, timeout, xargs, nohup, bash, sh): bash must never run `rm -rf` or `git push` from it.
A disagreement between bashlex (or our quote removal) and bash fails."""

from __future__ import annotations

import collections
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.agent.test_shell_rules_properties import ALLOW, literal_line
from victor.agent.shell_rules import allowed, matches
from victor.agent.shell_words import parse

pytestmark = pytest.mark.slow  # thousands of generated cases

BASH = shutil.which("bash")
NAMES = sorted({rule.split()[0] for rule in ALLOW})
STUB = "#!/bin/sh\nr=$(printf '%s\\037' \"${0##*/}\" \"$@\")\nprintf '%s\\036' \"$r\" >> \"$LOG\"\n"  # one write
TOKENS = st.sampled_from(["x", "a", "-o", "--output", "log", " ", " ", " ", "'", '"', "\\", "$", "#", ";", "&",
                          "|", ">", "<", "(", ")", "{", "}", "=", "~", "*", "\n", "`", "!", "\t", "2>&1", "$'", "%",
                          "@", ",", "&&", " ls ", " cat ", "\\n", "-", "/"])
SOUP = st.tuples(st.sampled_from(["ls ", "cat ", "git log ", "sort ", "sed ", "awk ", "find "]),
                 st.lists(TOKENS, max_size=10)).map(lambda p: p[0] + "".join(p[1]))


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bin_dir = tmp_path_factory.mktemp("stub-bin")
    for name in NAMES:
        (bin_dir / name).write_text(STUB)
        (bin_dir / name).chmod(0o755)
    return bin_dir


def run_in_bash(command: str, stubs: Path, cwd: Path) -> list[tuple[str, ...]]:
    log = cwd.parent / f"{cwd.name}.log"
    log.write_bytes(b"")
    subprocess.run([BASH, "-c", command], cwd=cwd, env={"PATH": str(stubs), "LOG": str(log), "HOME": str(cwd)},
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    records = log.read_bytes().decode().split("\036")[:-1]
    return [tuple(record.split("\037")[:-1]) for record in records]


def check_against_bash(command: str, stubs: Path, tmp_path: Path) -> None:
    if not allowed(command, ALLOW)[0]:
        return
    event("approved, run by bash")
    approved = [tuple([c.words[0].name] + [w.value for w in c.words[1:]]) for c in parse(command).commands]
    cwd = tmp_path / "cwd"
    shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir()
    ran = run_in_bash(command, stubs, cwd)
    assert not collections.Counter(ran) - collections.Counter(approved), (command, ran, approved)
    if "||" not in command and "&" not in command.replace("&&", "").replace("|&", "").replace(">&", ""):
        assert sorted(ran) == sorted(approved), (command, ran, approved)
    assert list(cwd.iterdir()) == [], command


MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@MANY
@given(command=literal_line)
def test_bash_runs_exactly_the_approved_literal_lines(command: str, stubs: Path, tmp_path: Path) -> None:
    assert allowed(command, ALLOW)[0]
    check_against_bash(command, stubs, tmp_path)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command=SOUP)
def test_whatever_shell_soup_is_approved_bash_runs_as_approved(command: str, stubs: Path, tmp_path: Path) -> None:
    check_against_bash(command, stubs, tmp_path)


WRAPPERS = ["env", "nice", "timeout", "xargs", "nohup", "bash", "sh"]  # real programs, linked into the stub PATH
DENY_TOKENS = st.one_of(  # half the words are the denied commands' own, half shell syntax and wrappers
    st.sampled_from(["rm", "'rm'", "r\\m", "git", "push", "p''ush", "-C .", "-rf", "-r", "-f", "-fr", "--recursive",
                     "--force", "-R"]),
    st.sampled_from(["'", '"', "\\", "$", ";", "&&", "|", "(", ")", "=", "x", "X=1", "-c", "eval", "$(", "`", "\n",
                     "${IFS}", "IFS", "-n1", "5", *WRAPPERS]))
GLUE = st.sampled_from([" ", " ", " ", ""])
DENY_SOUP = st.tuples(st.sampled_from(["", "bash -c ", "sh -c ", "eval ", "env ", "echo x | xargs ", "bash -c 'bash -c "]),
                      st.sampled_from(["", "'", '"', "\\'"]), st.lists(st.tuples(DENY_TOKENS, GLUE), min_size=1, max_size=6),
                      st.sampled_from(["", "'", '"'])).map(lambda p: p[0] + p[1] + "".join(map("".join, p[2])) + p[3])


@pytest.fixture(scope="module")
def deny_stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bin_dir = tmp_path_factory.mktemp("deny-stub-bin")
    for name in ("rm", "git"):
        (bin_dir / name).write_text(STUB)
        (bin_dir / name).chmod(0o755)
    for name in WRAPPERS:
        (bin_dir / name).symlink_to(shutil.which(name))
    return bin_dir


def would_delete_recursively(argv: tuple[str, ...]) -> bool:
    letters = {c for a in argv[1:] if a.startswith("-") and not a.startswith("--") for c in a[1:]}
    longs = {a for a in argv[1:] if a.startswith("--")}
    return argv[0] == "rm" and bool({"r", "R"} & letters or "--recursive" in longs) and (
        "f" in letters or "--force" in longs)


def git_subcommand(args: tuple[str, ...]) -> str:
    while args and args[0].startswith("-"):
        args = args[2:] if args[0] in ("-C", "-c") else args[1:]
    return args[0] if args else ""


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command=DENY_SOUP)
def test_whatever_bash_would_run_that_a_deny_rule_names_is_never_let_through(
        command: str, deny_stubs: Path, tmp_path: Path) -> None:
    verdict = matches(command, ["rm -rf", "git push"])[0]
    if verdict != "none":
        return
    cwd = tmp_path / "cwd"
    shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir()
    event("no deny rule matched, run by bash")
    for argv in run_in_bash(command, deny_stubs, cwd):
        assert not would_delete_recursively(argv), (command, argv)
        assert not (argv[0] == "git" and git_subcommand(argv[1:]) == "push"), (command, argv)
