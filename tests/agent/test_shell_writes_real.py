"""The writing-option table against the real programs: generated argument lists for git log, sed, sort,
find and awk run in a scratch directory (the only program on PATH is `touch`); whenever one of them
created, changed or deleted a file, the table must have said it writes."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from victor.agent.shell_writes import writing_option

pytestmark = pytest.mark.slow  # hundreds of real program runs

ARGS = {
    ("git", "log"): ["--output=o", "--output", "o", "--outp=o", "--o=o", "-1", "--format=%B", "--oneline", "-p",
                     "--stat", "--", "-o", "--no-walk", "HEAD", "--name-only", "--output-indicator-new=x", "in"],
    ("sed",): ["-n", "-i", "-e", "-E", "-s", "--in-place", "--in-pl", "--expression", "p", "w o", "s/a/b/w o", "1w o",
               "$!w o", "e touch o", "s/a/b/e", "y/a/b/", "in", "-ni", "-ne", "--", "W o", ":a", "b", "{", "}", "q",
               "r in", "/a/w o", "-z", "-l", "5", "--posix", "--debug", "1d"],
    ("sort",): ["-o", "o", "--output", "--output=o", "--out=o", "-uo", "-u", "-r", "-k1", "in", "-m", "--", "-n",
                "-c", "-s", "--files0-from=in"],
    ("find",): [".", "-name", "in", "-delete", "-print", "-fprint", "o", "-fprint0", "-fls", "-exec", "touch", "{}",
                ";", "+", "-maxdepth", "1", "-type", "f", "-ok", "-execdir", "-printf", "%p", "-fprintf", "-true"],
    ("awk",): ["{print}", '{print > "o"}', 'BEGIN{system("touch o")}', '{print | "touch o"}', "-F", ":", "-v",
               "x=1", "in", 'END{printf "x" >> "o"}', "NR==1", '{getline < "in"}', "--", '{print $1}'],
}


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    bin_dir = tmp_path_factory.mktemp("touch-only-bin")
    (bin_dir / "touch").symlink_to(shutil.which("touch"))
    template = tmp_path_factory.mktemp("template")
    (template / "in").write_text("a/\nx b\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(template)], check=True)
    subprocess.run([*git, "-C", str(template), "commit", "-q", "--allow-empty", "-m", "one"], check=True)
    return bin_dir, template


@pytest.mark.parametrize("command", list(ARGS), ids=" ".join)
def test_the_table_flags_every_argument_list_that_really_writes(command: tuple[str, ...], scratch, tmp_path) -> None:
    bin_dir, template = scratch
    program = shutil.which(command[0])

    cwd = tmp_path / "cwd"
    shutil.copytree(template, cwd, symlinks=True)
    before = snapshot(cwd)

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(args=st.lists(st.sampled_from(ARGS[command]), max_size=6))
    def check(args: list[str]) -> None:
        subprocess.run([program, *command[1:], *args], cwd=cwd, env={"PATH": str(bin_dir), "HOME": str(cwd)},
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
        if snapshot(cwd) != before:
            shutil.rmtree(cwd)
            shutil.copytree(template, cwd, symlinks=True)
            event("wrote")
            assert writing_option([*command, *args], len(command)) is not None, args

    check()
