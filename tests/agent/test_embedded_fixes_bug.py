"""The embedded model (Qwen2.5-Coder-1.5B-Instruct, in-process) fixes a real bug end to end:
`victor run --json --approval full-auto` in a tiny repository whose unittest fails because of an
off-by-one in the code; afterwards that unittest passes and the test file is untouched. The sandbox is
the real Docker one, as for any user."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.docker, pytest.mark.slow]

CODE = '''\
"""Small statistics helpers."""


def average(numbers):
    """The arithmetic mean of a non-empty list of numbers."""
    return sum(numbers) / (len(numbers) + 1)
'''
TESTS = '''\
import unittest

from stats import average


class AverageTest(unittest.TestCase):
    def test_average_of_three(self):
        self.assertEqual(average([2, 4, 6]), 4)

    def test_average_of_one(self):
        self.assertEqual(average([5]), 5)


if __name__ == "__main__":
    unittest.main()
'''
TRACED = ("text", "tool_call", "tool_result", "done")
PROMPT = ("`python3 -m unittest test_stats` fails. Find the bug in stats.py and fix it. "
          "The tests in test_stats.py are correct; don't change them.")


def unittest_passes(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unittest", "-q", "test_stats"], cwd=repo, capture_output=True,
                          text=True, timeout=60)


def test_the_embedded_model_fixes_a_bug_so_the_test_passes(victor, git_repo: Path, sandbox_image: str) -> None:
    (git_repo / "stats.py").write_text(CODE)
    (git_repo / "test_stats.py").write_text(TESTS)
    subprocess.run(["git", "add", "."], cwd=git_repo, check=True)
    subprocess.run(["git", "commit", "-qm", "stats with a failing test"], cwd=git_repo, check=True)
    assert unittest_passes(git_repo).returncode != 0  # the fixture really has the bug

    run = victor("run", "--profile", "embedded", "--offline", "--approval", "full-auto", "--json", PROMPT,
                 cwd=git_repo, timeout=1500)

    events = [json.loads(line) for line in run.stdout.splitlines()]
    trace = "".join(e["delta"] if e["type"] == "text" else f"\n{e['type']}: {e.get('name', '')} "
                    f"{e.get('args', e.get('summary', ''))}\n" for e in events if e["type"] in TRACED)
    assert events[-1]["type"] == "done", run.stderr[-2000:]
    assert (git_repo / "test_stats.py").read_text() == TESTS, trace
    check = unittest_passes(git_repo)
    code_now = (git_repo / "stats.py").read_text()
    assert check.returncode == 0, f"{check.stderr[-1500:]}\nstats.py now:\n{code_now}\n{trace}"
