"""The test command the agent runs after its edits (like Aider's --auto-test), and what the model
is told when it fails. The command comes from AGENTS.md (`test command: ...`), else from the test
files the user's prompt names (unittest or pytest, whichever they use), else from the repository's
pytest configuration; none found, no tests are run. Python runs with -B: a .pyc it wrote would be
taken for the source after an edit of the same size within the same second (the check is mtime and
size), and the tests would run the old code."""

from __future__ import annotations

import re
from pathlib import Path

AGENTS_LINE = re.compile(r"^\W*test[ _-]?command\W*:\s*`?([^`\n]+?)`?\s*$", re.IGNORECASE | re.MULTILINE)
PYTEST_CONFIG = ("pytest.ini", "conftest.py", "tests/conftest.py")
FEEDBACK_LINES = 40
MAX_TEST_ROUNDS = 3
FAILED = ("The tests fail after your change (`{command}`):\n{output}\n\n"
          "Fix the code{where} so that these tests pass{tests}.")


def test_command(root: Path, named_tests: list[str]) -> str | None:
    agents = root / "AGENTS.md"
    if agents.is_file():
        match = AGENTS_LINE.search(agents.read_text(encoding="utf-8", errors="replace"))
        if match:
            return match.group(1).strip()
    python_tests = [path for path in named_tests if path.endswith(".py") and (root / path).is_file()]
    if python_tests:
        if all(_uses_unittest(root / path) for path in python_tests):
            return "python3 -B -m unittest -q " + " ".join(path[:-3].replace("/", ".") for path in python_tests)
        return "python3 -B -m pytest -q " + " ".join(python_tests)
    if any((root / name).is_file() for name in PYTEST_CONFIG) or "[tool.pytest" in _read(root / "pyproject.toml"):
        return "python3 -B -m pytest -q -x"
    return None


def failure_message(command: str, output: str, code_files: list[str], protected: bool) -> str:
    tail = "\n".join(output.rstrip().splitlines()[-FEEDBACK_LINES:])
    where = f" in {', '.join(code_files)}" if code_files else ""
    tests = "; the tests are correct, don't change them" if protected else ""
    return FAILED.format(command=command, output=tail, where=where, tests=tests)


def _uses_unittest(path: Path) -> bool:
    text = _read(path)
    return "unittest" in text and "pytest" not in text


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
