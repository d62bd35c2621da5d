"""Task classification: which kind of work a prompt asks for, decided offline by keyword rules.

`classify(prompt)` is deterministic and cheap (one compiled regex per task type, no model call).
The task with the most distinct keyword hits wins; ties go to the earlier task in `RULES`, which
lists the types that most often need care (security, production) first.
"""

from __future__ import annotations

import re
from typing import get_args

from victor.config.schema import TaskType
from victor.errors import UsageError

TASK_TYPES: tuple[str, ...] = get_args(TaskType)

RULES: list[tuple[str, list[str]]] = [
    ("security_analysis", [
        "security", "vulnerab\\w*", "cve-?\\d*", "exploit\\w*", "sql injection", "injection", "xss", "csrf",
        "threat model", "attack surface", "secure", "sanitiz\\w*", "auth bypass", "privilege escalation",
    ]),
    ("production_debugging", [
        "production", "prod", "outage", "incident", "stack ?trace", "traceback", "crash\\w*", "segfault",
        "memory leak", "deadlock", "on-call", "5\\d\\d errors?", "latency spike", "post-?mortem", "logs show",
    ]),
    ("architecture_decisions", [
        "architecture", "architect", "design decision", "system design", "trade-?offs?", "should we use",
        "microservices?", "monolith", "scalab\\w*", "adr", "event-driven", "data model",
    ]),
    ("test_generation", [
        "unit tests?", "write tests?", "add tests?", "generate tests?", "test cases?", "pytest", "coverage",
        "integration tests?", "property-based", "fixtures?",
    ]),
    ("code_review", [
        "review", "code review", "pull request", "pr", "diff", "look over", "critique", "lgtm",
    ]),
    ("refactoring", [
        "refactor\\w*", "rename", "extract (?:a |the )?(?:method|function|class)", "clean up", "cleanup",
        "simplify", "deduplicate", "restructure", "split (?:this|the) (?:file|module|function)",
    ]),
    ("documentation", [
        "document\\w*", "docstrings?", "readme", "docs", "comments?", "changelog", "tutorial", "explain",
    ]),
]

_PATTERNS = [(task, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)) for task, words in RULES]


def classify(prompt: str) -> tuple[str, str]:
    """The task type for `prompt` and a one-line reason naming the keywords that decided it."""
    best_task, best_hits = "general", list[str]()
    for task, pattern in _PATTERNS:
        hits = sorted({match.group(0).lower() for match in pattern.finditer(prompt)})
        if len(hits) > len(best_hits):
            best_task, best_hits = task, hits
    if not best_hits:
        return "general", "classified as general: no task keywords matched"
    keywords = ", ".join(f"'{hit}'" for hit in best_hits[:4])
    return best_task, f"classified as {best_task}: matched {keywords}"


def check_task(task: str) -> str:
    """`task` if it is a known task type, else a UsageError listing the known ones."""
    if task not in TASK_TYPES:
        raise UsageError(f"unknown task type '{task}'", hint=f"use one of: {', '.join(TASK_TYPES)}")
    return task
