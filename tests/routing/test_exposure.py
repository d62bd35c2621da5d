"""What a conversation exposes: every part of the request, labelled (the system prompt split by
instructions file), the files it read, wrote or named (and not the ones it only listed), and the
per-message scan cache that keeps a long session cheap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import victor.secrets
from tests.routing.conftest import fake_github_pat
from victor.providers.base import Message, ToolCall
from victor.routing.exposure import ExposedFiles, request_parts
from victor.routing.sensitivity import SensitivityScanner


def call(name: str, **arguments: object) -> Message:
    return Message("assistant", "", [ToolCall(f"id-{name}", name, dict(arguments))])


def result(name: str, content: str) -> Message:
    return Message("tool", content, tool_call_id=f"id-{name}", name=name)


def test_every_part_is_labelled_and_the_latest_prompt_stands_apart() -> None:
    system = "You are Victor.\n\nInstructions from AGENTS.md:\nuse tabs\n\nInstructions from .victor/instructions.md:\nbe brief"
    messages = [Message("system", system), Message("user", "first"), call("write_file", path="a.txt", content="x"),
                result("write_file", "wrote a.txt"), Message("assistant", "done"), Message("user", "second")]
    prompt, parts = request_parts(messages)
    assert prompt == "second"
    assert [where for where, _ in parts] == [
        "system prompt", "system prompt (AGENTS.md)", "system prompt (.victor/instructions.md)", "earlier prompt 1",
        "model reply 1", *["tool call 1 (write_file)"] * 4, "tool result 1 (write_file)", "model reply 2"]
    assert dict(parts)["system prompt (.victor/instructions.md)"].endswith("be brief")
    assert [text for where, text in parts if where.startswith("tool call")] == ["path", "a.txt", "content", "x"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "secrets").mkdir(parents=True)
    (root / "secrets" / "plan.md").write_text("Initech\n")
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("see secrets/plan.md\n")
    os.symlink("../secrets/plan.md", root / "docs" / "latest.md")
    os.link(root / "secrets" / "plan.md", root / "notes.txt")  # as `ln secrets/plan.md notes.txt` in the sandbox
    (tmp_path / "outside.txt").write_text("not the workspace's\n")
    return root


@pytest.mark.parametrize(("message", "expected"), [
    (call("read_file", path="secrets/plan.md"), ["notes.txt", "secrets/plan.md"]),
    (call("read_file", path="./docs/../secrets/plan.md"), ["notes.txt", "secrets/plan.md"]),
    (call("read_file", path="notes.txt"), ["notes.txt", "secrets/plan.md"]),  # a hard link: the same file
    (call("read_file", path="docs/guide.md"), ["docs/guide.md"]),
    (call("run_shell", command="head -3 docs/guide.md | wc -l"), ["docs/guide.md"]),
    (call("run_shell", command="grep -r Initech secrets/"), ["secrets/"]),
    (call("run_shell", command="cat s*/*.md"), ["notes.txt", "secrets/plan.md"]),  # as the shell expands it
    (call("glob", pattern="*/*.md"), []),  # the glob tool lists names
    (result("run_shell", "./docs/guide.md:1:see"), ["docs/guide.md"]),
    (call("read_file", path="docs/latest.md"), ["docs/latest.md", "notes.txt", "secrets/plan.md"]),  # a symlink
    (result("grep", "docs/guide.md:1: see"), ["docs/guide.md"]),
    (result("git_diff", "diff --git a/docs/guide.md b/docs/guide.md\n+see"), ["docs/guide.md"]),
    (result("list_dir", "plan.md\nsecrets/"), []),  # names only
    (result("read_file", "see secrets/plan.md"), []),  # a file that mentions another is not that file
    (Message("user", "what does docs/guide.md say?"), ["docs/guide.md"]),
    (Message("user", "summarise\n\nRepository files:\ndocs/guide.md\nsecrets/plan.md"), []),  # the map of names
    (Message("user", "read docs/guide.md\n\ndocs/guide.md\n```\nsee secrets/plan.md\n```"), ["docs/guide.md"]),
    (call("read_file", path="../outside.txt"), []),
    (Message("user", "the repo itself: ."), []),
])
def test_files_read_written_or_named(workspace: Path, message: Message, expected: list[str]) -> None:
    assert ExposedFiles(workspace).paths([message]) == expected


def test_an_absolute_path_inside_the_workspace_counts(workspace: Path) -> None:
    assert ExposedFiles(workspace).paths([call("read_file", path=str(workspace / "docs" / "guide.md"))]) == [
        "docs/guide.md"]


def test_each_message_is_scanned_once_however_often_it_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    real = victor.secrets.scan_text
    monkeypatch.setattr(victor.secrets, "scan_text", lambda text, **kw: scanned.append(text) or real(text, **kw))
    token = fake_github_pat(3)
    history = [(f"tool result {n} (read_file)", f"line {n}\n" * 2000) for n in range(1, 30)]
    history.append(("tool result 30 (read_file)", f"token = {token}\n"))
    scanner = SensitivityScanner()
    first = scanner.scan("look", {}, history)
    assert len(scanned) == 31 and first.describe() == "github-pat in tool result 30 (read_file)"
    second = scanner.scan("and now?", {}, [*history, ("model reply 1", "ok")])
    assert len(scanned) == 33 and second.describe() == first.describe()
