"""After the model stops calling tools in a run that asks for a change: edits written as text are
applied through the real tools, the tests run (host sandbox here), failures go back to the model,
protected tests stay untouched, and prose without an edit gets one nudge. Scripted model."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.scripted_provider import ScriptedProvider
from victor.agent.followup import RETRY_TEMPERATURE
from victor.agent.loop import Agent
from victor.providers.base import Capabilities, TextDelta, ToolCall

STUB = "def double(n):\n    pass\n"
TESTS = "import unittest\nfrom double import double\n\n\nclass T(unittest.TestCase):\n    def test_two(self):\n        self.assertEqual(double(2), 4)\n"
PROMPT = "Implement double in double.py. The tests are in double_test.py; don't change them."
SOLVED = "Here is double.py:\n```python\ndef double(n):\n    return 2 * n\n```\n"


@pytest.fixture
def task_repo(repo: Path) -> Path:
    (repo / "double.py").write_text(STUB)
    (repo / "double_test.py").write_text(TESTS)
    subprocess.run(["git", "add", "double.py", "double_test.py"], cwd=repo, check=True)
    return repo


@pytest.fixture
def run_task(harness, task_repo, monkeypatch):
    def run(scripts: list, prompt: str = PROMPT):
        h = harness(scripts, mode="full-auto", sandbox="none")
        return h, h.run(prompt)

    return run


def test_a_fenced_file_is_applied_and_passing_tests_end_the_run(run_task, task_repo: Path) -> None:
    h, events = run_task([[TextDelta(SOLVED)]])
    assert (task_repo / "double.py").read_text() == "def double(n):\n    return 2 * n\n"
    calls = [e.name for e in events if e.type == "tool_call"]
    assert calls == ["write_file", "run_shell"]
    assert events[-1].ok and events[-1].turns == 1 and len(h.provider.calls) == 1
    first = h.provider.calls[0][0][-1].content
    assert first.startswith(PROMPT) and "double.py\n```python\ndef double(n):\n    pass\n```" in first
    assert "Repository files:" in first and "double_test.py: T" in first


def test_failing_tests_go_back_to_the_model(run_task, task_repo: Path) -> None:
    wrong = "double.py\n```python\ndef double(n):\n    return n + 1\n```\n"
    h, events = run_task([[TextDelta(wrong)], [TextDelta(SOLVED)]])
    feedback = h.provider.calls[1][0][-1]
    assert feedback.role == "user" and "The tests fail after your change" in feedback.content
    assert "AssertionError: 3 != 4" in feedback.content and "Fix the code in double.py" in feedback.content
    assert events[-1].ok and (task_repo / "double.py").read_text().endswith("return 2 * n\n")


def test_the_failing_code_written_again_is_named_and_the_next_turn_is_sampled_hotter(run_task, task_repo: Path) -> None:
    wrong = "double.py\n```python\ndef double(n):\n    return n + 1\n```\n"
    h, events = run_task([[TextDelta(wrong)], [TextDelta(wrong)], [TextDelta(SOLVED)]])
    repeated = h.provider.calls[2][0][-1]
    assert repeated.role == "user" and repeated.content.startswith("That is the code double.py already holds")
    assert [o.temperature for o in h.provider.options] == [None, None, RETRY_TEMPERATURE]
    assert events[-1].ok and (task_repo / "double.py").read_text().endswith("return 2 * n\n")


def test_an_edit_that_drops_a_function_the_tests_import_is_refused(run_task, task_repo: Path) -> None:
    renamed = ToolCall("c1", "edit_file", {"path": "double.py", "old_text": "double", "new_text": "double_new"})
    h, events = run_task([[renamed], [TextDelta(SOLVED)]], prompt="Fix the bug in double.py.")
    refusal = h.provider.calls[1][0][-1].content
    assert refusal.startswith("refused: this edit removes `double` from double.py, but double_test.py imports it")
    assert events[-1].ok and (task_repo / "double.py").read_text() == "def double(n):\n    return 2 * n\n"


def test_the_user_may_ask_for_a_rename(run_task, task_repo: Path) -> None:
    renamed = ToolCall("c1", "write_file", {"path": "double.py", "content": "def twice(n):\n    return 2 * n\n"})
    run_task([[renamed], [TextDelta("Done.")]], prompt="Rename double to twice in double.py.")
    assert (task_repo / "double.py").read_text() == "def twice(n):\n    return 2 * n\n"


def test_an_edit_to_a_protected_test_is_refused(run_task, task_repo: Path) -> None:
    cheat = ToolCall("c1", "write_file", {"path": "double_test.py", "content": "import unittest\n"})
    h, events = run_task([[cheat], [TextDelta(SOLVED)]])
    assert (task_repo / "double_test.py").read_text() == TESTS
    refusal = h.provider.calls[1][0][-1]
    assert refusal.role == "tool" and refusal.content.startswith("refused: double_test.py is a test")
    assert "change the code they test instead (for example double.py)" in refusal.content
    assert events[-1].ok


def test_prose_without_an_edit_gets_one_nudge(run_task, task_repo: Path) -> None:
    h, events = run_task([[TextDelta("You can use n * 2.")], [TextDelta("Done, it doubles.")]])
    nudge = h.provider.calls[1][0][-1]
    assert nudge.role == "user" and nudge.content.startswith("You have not changed any file yet")
    assert "(double.py)" in nudge.content
    assert len(h.provider.calls) == 2 and events[-1].reason == "done"
    assert (task_repo / "double.py").read_text() == STUB


def test_a_question_is_answered_without_nudges_or_tests(run_task) -> None:
    h, events = run_task([[TextDelta("It doubles numbers.")]], prompt="What does double.py do?")
    assert len(h.provider.calls) == 1 and [e.type for e in events if e.type == "tool_call"] == []


def test_rereading_a_named_file_is_a_repeat(run_task) -> None:
    reread = ToolCall("c1", "read_file", {"path": "double.py"})
    h, events = run_task([[reread], [TextDelta(SOLVED)]])
    assert h.provider.calls[1][0][-1].content.startswith("You already have the result of read_file")
    assert events[-1].ok


def test_a_tool_call_written_as_text_is_run(run_task, task_repo: Path) -> None:
    text = '<tool_call>{"name": "write_file", "arguments": {"path": "double.py", "content": "def double(n):\\n    return n * 2\\n"}}</tool_call>'
    h, events = run_task([[TextDelta(text)], [TextDelta("Done.")]])
    assert (task_repo / "double.py").read_text() == "def double(n):\n    return n * 2\n"
    assert [e.name for e in events if e.type == "tool_call"] == ["write_file", "run_shell"]
    assert isinstance(h.agent, Agent) and events[-1].ok


def test_a_call_written_as_text_is_kept_once_in_the_history(run_task) -> None:
    text = '<tool_call>{"name": "read_file", "arguments": {"path": "README.md"}}</tool_call>'
    h, events = run_task([[TextDelta(text)], [TextDelta(SOLVED)]])
    assistant = h.provider.calls[1][0][-2]
    assert assistant.role == "assistant" and assistant.content == "" and assistant.tool_calls[0].name == "read_file"


def test_a_call_written_as_text_is_shown_as_a_call_not_also_as_json(harness) -> None:
    text = 'Let me look.\n```json\n{"name": "read_file", "arguments": {"path": "double.py"}}\n```'
    provider = ScriptedProvider([[TextDelta(text)], [TextDelta("It doubles a number.")]])
    provider.capabilities = Capabilities(native_tools=False, json_schema=True, context_window=8192)
    events = harness([], mode="full-auto", sandbox="none", provider=provider).run("What does the code do?")
    assert "".join(e.delta for e in events if e.type == "text") == "Let me look.\nIt doubles a number."
    assert [e.name for e in events if e.type == "tool_call"] == ["read_file"]


def test_an_edit_refused_again_and_again_ends_the_run(run_task, task_repo: Path) -> None:
    cheat = "double_test.py\n```python\nclass T:\n    pass\n```\n"
    h, events = run_task([[TextDelta(cheat)]] * 5)
    assert len(h.provider.calls) == 2 and events[-1].reason == "done"
    assert h.provider.calls[1][0][-1].content.startswith("refused: double_test.py is a test")
    assert (task_repo / "double_test.py").read_text() == TESTS
