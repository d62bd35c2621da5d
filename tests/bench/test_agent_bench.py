"""The agent benchmark's pure parts (bench/agent_bench): the protocol's prompts, grading with the
original tests put back, parsing each agent's output, and the totals and ratios. No model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from agent_bench.agents import aider_stats, victor_stats  # noqa: E402
from agent_bench.report import TaskResult, row, summary, totals  # noqa: E402
from agent_bench.server import prompt_stats  # noqa: E402
from agent_bench.tasks import grade, load_task, make_repo, unittest_target  # noqa: E402

TEST_FILE = """import unittest
from double import double


class DoubleTest(unittest.TestCase):
    def test_two(self):
        self.assertEqual(double(2), 4)
"""


@pytest.fixture
def stub_task(tmp_path: Path):
    folder = tmp_path / "tasks" / "double"
    folder.mkdir(parents=True)
    (folder / "task.json").write_text(json.dumps({"slug": "double", "solution": ["double.py"], "test": ["double_test.py"]}))
    (folder / "instructions.md").write_text("Return twice the number.\n")
    (folder / "double.py").write_text("def double(n):\n    pass\n")
    (folder / "double_test.py").write_text(TEST_FILE)
    return load_task(folder)


def test_stub_prompt_follows_the_protocol(stub_task) -> None:
    prompt = stub_task.prompt()
    assert prompt.startswith("Return twice the number.\n\nUse the above instructions to modify the supplied files: double.py.")
    assert prompt.endswith("The tests are in double_test.py; don't change them.")
    retry = stub_task.retry_prompt("\n".join(f"line {n}" for n in range(100)))
    assert retry.splitlines()[0] == "line 60" and "line 59" not in retry
    assert retry.endswith("Fix the code in double.py to resolve the errors.")


def test_grading_fails_the_stub_and_passes_a_solution(stub_task, tmp_path: Path) -> None:
    repo = make_repo(stub_task, tmp_path / "run")
    assert not grade(stub_task, repo).passed
    (repo / "double.py").write_text("def double(n):\n    return 2 * n\n")
    result = grade(stub_task, repo)
    assert result.passed and not result.tests_edited


def test_an_edited_test_is_put_back_and_counted(stub_task, tmp_path: Path) -> None:
    repo = make_repo(stub_task, tmp_path / "run")
    (repo / "double_test.py").write_text("import unittest\n")  # "passes" only because it tests nothing
    result = grade(stub_task, repo)
    assert result.tests_edited and not result.passed
    assert (repo / "double_test.py").read_text() == TEST_FILE


def test_unittest_target_of_a_nested_path() -> None:
    assert unittest_target("tests/test_stock.py") == "tests.test_stock"


def test_victor_events_give_turns_tokens_and_edits() -> None:
    events = [
        {"type": "usage", "input_tokens": 900, "output_tokens": 40, "cost_usd": 0},
        {"type": "tool_call", "id": "a", "name": "write_file", "args": {}},
        {"type": "tool_result", "id": "a", "ok": True, "summary": ""},
        {"type": "tool_call", "id": "b", "name": "edit_file", "args": {}},
        {"type": "tool_result", "id": "b", "ok": False, "summary": ""},
        {"type": "tool_call", "id": "c", "name": "read_file", "args": {}},
        {"type": "tool_result", "id": "c", "ok": True, "summary": ""},
        {"type": "usage", "input_tokens": 1000, "output_tokens": 10, "cost_usd": 0},
        {"type": "done", "ok": True, "turns": 2, "reason": "done", "exit_code": 0},
    ]
    stats = victor_stats(["not json", *map(json.dumps, events)])
    assert (stats.turns, stats.input_tokens, stats.output_tokens) == (2, 1900, 50)
    assert (stats.edits_ok, stats.edits, stats.finish) == (1, 2, "done")


def test_aider_token_lines_are_summed() -> None:
    output = "Tokens: 1.2k sent, 345 received.\nApplied edit to leap.py\nTokens: 2k sent, 1.1k received.\n"
    stats = aider_stats(output)
    assert (stats.turns, stats.input_tokens, stats.output_tokens, stats.edits_ok) == (2, 3200, 1445, 1)


def _result(task: str, agent: str, pass1: bool, pass2: bool, wall: float, tokens: int) -> TaskResult:
    return TaskResult(task, agent, pass1, pass2, wall, 2, tokens, 10, 0)


def test_totals_and_ratios() -> None:
    results = [
        _result("a", "victor", True, True, 30, 1000), _result("b", "victor", False, True, 90, 3000),
        _result("c", "victor", False, False, 200, 5000),
        _result("a", "aider", True, True, 60, 2000), _result("b", "aider", False, False, 100, 2000),
        _result("c", "aider", False, False, 100, 2000),
    ]
    victor = totals(results, "victor")
    assert (victor.pass1, victor.pass2, victor.median_wall_solved, victor.input_per_solved) == (1, 2, 60, 4500)
    lines = summary(results, ["victor", "aider"])
    assert lines[2] == ("Victor/Aider: pass rate 67% vs 33% (+33 points, ratio 2.00); "
                        "median wall per solved task 1.00; input tokens per solved task 0.75")
    assert row(results[0]).split()[:4] == ["a", "victor", "y", "y"]


def test_server_log_gives_prompt_and_evaluated_tokens_per_request() -> None:
    log = "\n".join([
        "llama_perf_context_print: prompt eval time =   13608.05 ms /  1022 tokens (   13.32 ms per token)",
        "INFO:     127.0.0.1:34024 - \"POST /v1/chat/completions HTTP/1.1\" 200 OK",
        "Llama.generate: 1081 prefix-match hit, remaining 613 prompt tokens to eval",
        "llama_perf_context_print: prompt eval time =   29561.78 ms /   613 tokens (   48.22 ms per token)",
    ])
    assert prompt_stats(log) == ([1022, 1694], [1022, 613])
