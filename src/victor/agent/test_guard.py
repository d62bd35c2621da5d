"""Tests the user said are correct stay untouched: once a prompt in the conversation says so ("don't
change the tests", "the tests are correct"), an edit to a test file is refused with a message the
model can act on, before it reaches the tool."""

from __future__ import annotations

import re
from collections.abc import Iterable

PROTECTING = re.compile(
    r"(?:don'?t|do not|never|must not|without|shouldn'?t|should not)\s+(?:try\s+(?:and|to)\s+)?"
    r"(?:change|modify|edit|touch|alter|update|rewrite)\w*\s+(?:\w+\s+){0,3}?tests?\b"
    r"|tests?\s+(?:\w+\s+){0,2}(?:are|is)\s+(?:correct|right)\b"
    r"|tests?\b[^!?\n]{0,80}?(?:don'?t|do not|never)\s+(?:change|modify|edit|touch)\s+(?:them|it)\b",
    re.IGNORECASE)
TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "specs"})
TEST_NAME = re.compile(r"^(?:test_.+|.+_test|.+\.test|.+\.spec|.+_spec|conftest)\.\w+$")
REFUSAL = ("refused: {path} is a test, and the user said the tests are correct and must not be changed. "
           "Leave the tests as they are and change the code they test instead{hint}.")


def protects_tests(prompts: Iterable[str]) -> bool:
    """True when any of the user's prompts says the tests must not be changed."""
    return any(PROTECTING.search(prompt) for prompt in prompts)


def is_test_path(path: str) -> bool:
    parts = path.replace("\\", "/").strip("/").split("/")
    return bool(TEST_NAME.match(parts[-1])) or any(part in TEST_DIRS for part in parts[:-1])


def refusal(path: str, code_files: list[str]) -> str:
    hint = f" (for example {', '.join(code_files)})" if code_files else ""
    return REFUSAL.format(path=path, hint=hint)
