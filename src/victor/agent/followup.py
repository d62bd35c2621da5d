"""What happens when the model stops calling tools, for a run whose prompt asks for a change:

1. edits it wrote as text (a fenced whole file, search/replace blocks; `edit_blocks`) are applied
   through the ToolRunner, like any tool call;
2. after edits, the test command (`autotest`) runs in the sandbox: passing ends the run; failing goes
   back to the model, a bounded number of times;
3. no edit at all (prose, or code it never applied), edits that could not be applied, or the very
   code the failing tests just ran written out again: one nudge saying so, then the run ends (a model
   that repeats itself is not making progress). After repeated code the next turn is sampled at
   RETRY_TEMPERATURE: at temperature 0 a model repeats the same answer to the same question.

`Followup.after_stop(text)` is a generator of AgentEvents returning the message for the model's next
turn, or None when the run is over. Edits to tests the user called correct are refused (`test_guard`).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, field

from victor.agent import autotest, kept_names, test_guard
from victor.agent.dispatch import ToolRunner
from victor.agent.edit_blocks import FENCE, edit_calls, mentioned_paths
from victor.agent.events import AgentEvent, TextEvent, ToolCallEvent, ToolResultEvent
from victor.errors import VictorError
from victor.providers.base import Message, ToolCall, new_call_id

WRITE_TOOLS = frozenset({"write_file", "edit_file"})
CHANGE_WORDS = re.compile(
    r"\b(?:fix|implement|modify|change|add|update|edit|write|create|refactor|rename|remove|delete|replace|"
    r"make|complete|correct|resolve)\b", re.IGNORECASE)
QUESTION_START = re.compile(r"^\s*(?:what|why|how|where|which|who|when|explain|describe|summari[sz]e|list|show|"
                            r"tell|is|are|does|do|can)\b", re.IGNORECASE)
NUDGE = ("You have not changed any file yet, so the task is not done. Make the change now: reply with the "
         "path of the file{files} on one line, then its complete new content in one fenced code block.")
REPEATED = ("That is the code {files} already hold{s}, and with it the tests fail. "
            "Find the mistake the failure shows and write the corrected code.")
MAX_NUDGES = 1
RETRY_TEMPERATURE = 0.7


def asks_for_change(prompt: str) -> bool:
    """True when the prompt asks for work on the code, not a question about it."""
    return bool(CHANGE_WORDS.search(prompt)) and not QUESTION_START.match(prompt)


@dataclass
class Followup:
    runner: ToolRunner
    files: list[str]
    prompts: list[str]
    wants_change: bool
    targets: list[str] = field(default_factory=list)  # code read in with the prompt: where a fix may go
    edited: bool = False  # an edit succeeded since the last test run
    edited_ever: bool = False
    test_rounds: int = 0
    nudges: int = 0
    passed: bool = False
    failing: bool = False  # the last test run failed, or the prompt reports a failure
    temperature: float | None = None  # the next turn's sampling temperature (None: the profile's)
    notes: list[str] = field(default_factory=list)

    @property
    def protected(self) -> bool:
        return test_guard.protects_tests(self.prompts)

    def code_files(self) -> list[str]:
        """The non-test files the user named, then those read in with the prompt: where a fix belongs."""
        named = [path for prompt in self.prompts for path in mentioned_paths(prompt, set(self.files))] + self.targets
        return list(dict.fromkeys(path for path in named if not test_guard.is_test_path(path)))

    def refusal(self, call: ToolCall) -> str | None:
        """The refusal for an edit to a protected test, or one that drops a name other files import;
        None when the call may run."""
        path = str(call.arguments.get("path", ""))
        if call.name not in WRITE_TOOLS:
            return None
        if self.protected and test_guard.is_test_path(path):
            return test_guard.refusal(path, self.code_files())
        before = _read(self.runner, path) if path.endswith(".py") else None  # only Python names are kept
        if before is None:
            return None
        if call.name == "write_file":
            after = str(call.arguments.get("content", ""))
        else:
            after = before.replace(str(call.arguments.get("old_text", "")), str(call.arguments.get("new_text", "")), 1)
        dropped = kept_names.dropped_imports(path, before, after, self.files, lambda p: _read(self.runner, p),
                                             self.prompts)
        return kept_names.refusal(path, dropped) if dropped else None

    def record(self, call: ToolCall, ok: bool) -> None:
        if call.name in WRITE_TOOLS and ok:
            self.edited = self.edited_ever = True

    def after_stop(self, text: str) -> Generator[AgentEvent, None, Message | None]:
        if not self.wants_change:
            return None
        self.temperature = None
        notes = yield from self._apply_text_edits(text)
        if self.edited:
            message = yield from self._test()
            if message is not None or self.passed:
                return message
        if self.nudges >= MAX_NUDGES:
            return None  # said once already: a model that repeats itself is not making progress
        files = self.code_files()
        if self.failing and FENCE.search(text):  # code, but nothing changed: the failing code again
            self.temperature = RETRY_TEMPERATURE
            names = ", ".join(files) or "the files"
            notes.append(REPEATED.format(files=names, s="s" if len(files) == 1 else ""))
        elif not notes and not self.edited_ever:
            notes.append(NUDGE.format(files=f" ({', '.join(files)})" if files else ""))
        if not notes:
            return None
        self.nudges += 1
        return Message(role="user", content="\n".join(notes))

    def _apply_text_edits(self, text: str) -> Generator[AgentEvent, None, list[str]]:
        """Apply the edits written in `text`; the notes for the model about those that failed."""
        read = lambda path: _read(self.runner, path)  # noqa: E731
        notes = []
        for call in edit_calls(text, self.files, read, targets=self.code_files()):
            refused = self.refusal(call)
            if refused is not None:
                yield ToolCallEvent(call.id, call.name, {"path": call.arguments["path"]})
                yield ToolResultEvent(call.id, False, refused[:200])
                notes.append(refused)
                continue
            outcome = yield from self.runner.run(call)
            self.record(call, outcome.ok)
            if not outcome.ok:
                notes.append(f"Your edit to {call.arguments['path']} was not applied: {outcome.content}")
        return notes

    def _test(self) -> Generator[AgentEvent, None, Message | None]:
        """Run the tests after edits: None when they pass or cannot run, else the failure to fix."""
        self.edited = False
        named_tests = [p for prompt in self.prompts for p in mentioned_paths(prompt, set(self.files))
                       if test_guard.is_test_path(p)]
        command = autotest.test_command(self.runner.context.workspace.root, list(dict.fromkeys(named_tests)))
        if command is None or self.test_rounds >= autotest.MAX_TEST_ROUNDS:
            return None
        self.test_rounds += 1
        outcome = yield from self.runner.run(ToolCall(new_call_id(), "run_shell", {"command": command}))
        if outcome.ok:
            self.passed, self.failing = True, False
            yield TextEvent(f"\nThe tests pass (`{command}`).\n")
            return None
        if outcome.refused or outcome.exit_code is None:
            return None  # no sandbox, or the policy does not allow it: nothing to feed back
        self.failing = True
        return Message(role="user", content=autotest.failure_message(command, outcome.content, self.code_files(),
                                                                     self.protected))


def _read(runner: ToolRunner, path: str) -> str | None:
    try:
        real = runner.context.workspace.resolve(path)
        return real.read_text(encoding="utf-8") if real.is_file() else None
    except (OSError, UnicodeDecodeError, VictorError):  # a refused path is simply not a target
        return None
