"""Task folders of ../shared/agent-tasks and the protocol's fixed parts: the prompts, a fresh git
repository per run, and grading (original tests put back, `python3 -m unittest`, 60 s, pass = exit 0)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEV_TASKS = ("leap", "raindrops", "pangram", "isogram", "hamming", "acronym", "matching-brackets", "roman-numerals")
GRADE_TIMEOUT_S = 60
FEEDBACK_LINES = 40

STUB_PROMPT = (
    "{instructions}\n\nUse the above instructions to modify the supplied files: {solution}. Don't change the "
    "names of existing functions or classes, as they may be referenced from other code like unit tests, etc. "
    "Only use standard libraries, don't suggest installing any packages. The tests are in {test}; don't "
    "change them."
)
RETRY_PROMPT = (
    "{output}\n\nSee the testing errors above. The tests are correct, don't try and change them. "
    "Fix the code in {solution} to resolve the errors."
)


@dataclass(frozen=True)
class Task:
    name: str
    folder: Path
    solution: list[str]
    test: list[str]
    prompt_text: str | None  # a bug-fix task's own prompt; None for a stub task

    @property
    def kind(self) -> str:
        return "stub" if self.prompt_text is None else "bugfix"

    def prompt(self) -> str:
        if self.prompt_text is not None:
            return self.prompt_text
        instructions = (self.folder / "instructions.md").read_text(encoding="utf-8").strip()
        return STUB_PROMPT.format(instructions=instructions, solution=" ".join(self.solution), test=" ".join(self.test))

    def retry_prompt(self, test_output: str) -> str:
        tail = "\n".join(test_output.rstrip().splitlines()[-FEEDBACK_LINES:])
        return RETRY_PROMPT.format(output=tail, solution=" ".join(self.solution))

    def source(self) -> Path:
        """The tree copied into the run's repository: `repo/` for a bug-fix task, else the folder."""
        return self.folder / "repo" if self.prompt_text is not None else self.folder

    def files_to_copy(self) -> list[str]:
        if self.prompt_text is not None:
            return [str(p.relative_to(self.source())) for p in sorted(self.source().rglob("*")) if p.is_file()]
        return [*self.solution, *self.test]


def load_task(folder: Path) -> Task:
    meta = json.loads((folder / "task.json").read_text(encoding="utf-8"))
    return Task(folder.name, folder, list(meta["solution"]), list(meta["test"]), meta.get("prompt"))


def all_task_names(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "task.json").is_file())


def make_repo(task: Task, where: Path) -> Path:
    """A fresh git repository holding the task's files, committed."""
    where.mkdir(parents=True)
    for name in task.files_to_copy():
        target = where / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(task.source() / name, target)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    subprocess.run([*git, "-C", str(where), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(where), "commit", "-q", "-m", "task"], check=True)
    return where


def unittest_target(path: str) -> str:
    """`tests/test_stock.py` -> `tests.test_stock`: what `python3 -m unittest` is given."""
    return path[:-3].replace("/", ".") if path.endswith(".py") else path


@dataclass(frozen=True)
class Grade:
    passed: bool
    output: str
    tests_edited: bool


def grade(task: Task, repo: Path) -> Grade:
    """Put the original tests back (noting whether they were changed), then run them."""
    edited = False
    for name in task.test:
        original = (task.source() / name).read_bytes()
        path = repo / name
        if not path.is_file() or path.read_bytes() != original:
            edited = True
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(original)
    command = ["python3", "-m", "unittest", "-q", *map(unittest_target, task.test)]
    try:
        done = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=GRADE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Grade(False, f"Tests timed out after {GRADE_TIMEOUT_S} s", edited)
    return Grade(done.returncode == 0, done.stdout + done.stderr, edited)
