"""Task classification from the prompt: deterministic keyword rules, and the --task check."""

from __future__ import annotations

import pytest

from victor.errors import UsageError
from victor.routing.tasks import TASK_TYPES, check_task, classify

PROMPTS = [
    ("Review this pull request for style problems", "code_review"),
    ("write unit tests for the tokenizer with pytest", "test_generation"),
    ("add docstrings and update the README", "documentation"),
    ("refactor this class and rename the helpers", "refactoring"),
    ("should we use microservices or a monolith? what are the trade-offs", "architecture_decisions"),
    ("the service crashes in production with this traceback", "production_debugging"),
    ("check the login form for SQL injection and XSS vulnerabilities", "security_analysis"),
    ("hello, what can you do?", "general"),
    ("fix this: token ghp_x", "general"),
    # ties go to the rule listed first: one security keyword beats one review keyword
    ("review the security of this module", "security_analysis"),
    # more distinct hits win over order
    ("review the diff of this PR, one security note", "code_review"),
]


@pytest.mark.parametrize(("prompt", "task"), PROMPTS)
def test_classify(prompt: str, task: str) -> None:
    got, reason = classify(prompt)
    assert got == task
    assert reason.startswith(f"classified as {task}")


def test_reason_names_the_keywords() -> None:
    reason = classify("write unit tests with pytest")[1]
    assert reason == "classified as test_generation: matched 'pytest', 'unit tests'"


def test_words_inside_other_words_do_not_count() -> None:
    assert classify("improve the approval flow")[0] == "general"  # 'pr' and 'prod' are whole words only


def test_check_task() -> None:
    assert all(check_task(task) == task for task in TASK_TYPES)
    with pytest.raises(UsageError, match="unknown task type 'debug'") as raised:
        check_task("debug")
    assert "production_debugging" in raised.value.hint
