"""The README's first command, on the real `embedded` profile (Qwen2.5-Coder-1.5B-Instruct in-process,
joined from its part packages): `victor run --json` says what the repository does, by name and from
what only its README.md tells, and ends with a successful `done`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.slow]

README = """# Tallyho

Tallyho counts the words in Markdown files and prints the twenty most common ones as a table.
Run `python tallyho.py notes/*.md`.
"""


def test_the_embedded_model_reads_the_readme_and_says_what_the_repository_does(victor, git_repo: Path) -> None:
    (git_repo / "README.md").write_text(README)
    (git_repo / "tallyho.py").write_text("import sys\n\n\ndef main():\n    print(sys.argv[1:])\n")

    done = victor("run", "--profile", "embedded", "--offline", "--approval", "full-auto", "--json", "--max-turns", "3",
                  "What does this repository do? Read README.md first.", cwd=git_repo, timeout=600)

    events = [json.loads(line) for line in done.stdout.splitlines()]
    kinds = [event["type"] for event in events]
    assert kinds[0] == "session" and kinds[-1] == "done", done.stderr[-2000:]
    answer = "".join(event["delta"] for event in events if event["type"] == "text").lower()
    assert "tallyho" in answer and "word" in answer, answer  # only README.md says what it counts
    assert events[-1]["ok"] and events[-1]["exit_code"] == done.returncode == 0
    assert all("ts" in event for event in events)
