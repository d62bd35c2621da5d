"""The real loop with the embedded model (llama.cpp, Gemma 3 270M, constrained tool calls): the
`--json` stream has a read_file call, its result, and ends with `done`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.slow]


def test_victor_run_reads_readme_with_the_embedded_model(victor, git_repo: Path, embedded_gguf: Path) -> None:
    (git_repo / "README.md").write_text("# Fixture Project\n\nA tiny repository for the agent test.\n")
    (git_repo / ".victor").mkdir()  # greedy decoding: the 270M model's tool choice is then reproducible
    (git_repo / ".victor" / "profiles.yaml").write_text("profiles:\n  embedded:\n    temperature: 0\n")
    done = victor("run", "--profile", "embedded", "--approval", "full-auto", "--json", "--max-turns", "3",
                  "Read README.md and tell me its first heading", cwd=git_repo, timeout=400)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    kinds = [event["type"] for event in events]
    assert kinds[0] == "session" and kinds[-1] == "done", done.stderr[-2000:]
    call = next(event for event in events if event["type"] == "tool_call" and event["name"] == "read_file")
    assert call["args"]["path"] == "README.md"
    result = next(event for event in events if event["type"] == "tool_result" and event["id"] == call["id"])
    assert result["ok"] and result["summary"].startswith("read README.md")
    assert events[-1]["exit_code"] == done.returncode
    assert all("ts" in event for event in events)
