"""The agent loop with a scripted model: edits, multi-step work, denials, limits, errors back to the
model, fallback and trimming, through the real tools, policy, snapshots and audit log."""

from __future__ import annotations

import threading
import time

import pytest

from tests.support.scripted_provider import ScriptedProvider
from victor.agent.loop import Limits
from victor.errors import ProviderError
from victor.providers.base import TextDelta, ToolCall


def call(name: str, call_id: str = "c1", **args) -> ToolCall:
    return ToolCall(call_id, name, args)


def types(events: list) -> list[str]:
    return [event.type for event in events]


def test_read_then_answer(harness) -> None:
    h = harness([[call("read_file", path="README.md")], [TextDelta("The heading is Demo.")]])
    events = h.run("Read the readme and tell me its first heading")
    assert types(events) == ["route", "usage", "tool_call", "approval", "tool_result", "text", "usage", "done"]
    done = events[-1]
    assert (done.ok, done.turns, done.reason, done.exit_code) == (True, 2, "done", 0)
    messages, tools = h.provider.calls[1]
    assert messages[-1].role == "tool" and messages[-1].content.startswith("# Demo")
    assert "write_file" not in [tool.name for tool in tools]  # ask mode, headless: not offered
    assert [r["tool"] for r in h.audit("tool_call")] == ["read_file"]
    assert h.audit("model_request")[0]["profile"] == "scripted"


def test_multi_step_edit_with_snapshot_and_undo(harness) -> None:
    h = harness([
        [call("read_file", path="app.py")],
        [call("edit_file", "c2", path="app.py", old_text="return 41", new_text="return 42"),
         call("write_file", "c3", path="NOTES.md", content="fixed\n")],
        [TextDelta("Fixed.")],
    ], mode="auto-edit")
    events = h.run()
    assert events[-1].ok and events[-1].turns == 3
    assert (h.root / "app.py").read_text() == "def answer():\n    return 42\n"
    assert (h.root / "NOTES.md").read_text() == "fixed\n"
    assert sorted(h.snapshots.undo_last()) == ["NOTES.md", "app.py"]
    assert (h.root / "app.py").read_text() == "def answer():\n    return 41\n"
    assert not (h.root / "NOTES.md").exists()


def test_tool_errors_go_back_to_the_model(harness) -> None:
    h = harness([
        [call("edit_file", path="app.py", old_text="return 40", new_text="return 42")],
        [call("read_file", "c2", path="../../etc/passwd")],
        [TextDelta("I could not.")],
    ], mode="full-auto")
    events = h.run()
    assert events[-1].ok
    results = [e for e in events if e.type == "tool_result"]
    assert [r.ok for r in results] == [False, False]
    second, third = h.provider.calls[1][0], h.provider.calls[2][0]
    assert "old_text not found" in second[-1].content and "Nearest match (line 2" in second[-1].content
    assert "outside the workspace" in third[-1].content
    refusal = h.audit("approval")[-1]
    assert (refusal["decision"], refusal["by"]) == ("deny", "policy")


def test_needing_a_human_with_none_present_stops_the_run_with_exit_4(harness) -> None:
    h = harness([[call("read_file", path=".env")], [TextDelta("never reached")]])
    events = h.run()
    assert types(events)[-4:] == ["approval", "tool_result", "error", "done"]
    done = events[-1]
    assert (done.ok, done.reason, done.exit_code) == (False, "denied", 4)
    assert len(h.provider.calls) == 1
    assert h.audit("approval")[-1]["by"] == "no-human"


def test_deny_rule_beats_allow_and_the_model_is_told(harness) -> None:
    h = harness([[call("run_shell", command="rm -rf build")], [TextDelta("ok, not deleting")]], mode="full-auto",
                rules={"run_shell": {"allow": ["rm"], "deny": ["rm -rf"]}})
    events = h.run()
    assert events[-1].ok
    approval = next(e for e in events if e.type == "approval")
    assert (approval.decision, approval.by) == ("deny", "policy")
    assert "deny rule" in h.provider.calls[1][0][-1].content


def test_user_approval_and_denial(harness) -> None:
    class Human:
        interactive = True

        def __init__(self) -> None:
            self.asked = []

        def ask(self, request):
            self.asked.append(request)
            return "approve" if request.args["path"] == "ok.md" else "deny"

    human = Human()
    h = harness([[call("write_file", path="ok.md", content="yes"), call("write_file", "c2", path="no.md", content="no")],
                 [TextDelta("done")]], approver=human)
    events = h.run()
    assert [(e.decision, e.by) for e in events if e.type == "approval"] == [("approve", "user"), ("deny", "user")]
    assert (h.root / "ok.md").exists() and not (h.root / "no.md").exists()
    assert "+yes" in human.asked[0].preview
    assert events[-1].ok


def test_max_turns_stops_and_says_so(harness) -> None:
    scripts = [[call("grep", f"c{n}", pattern=f"x{n}")] for n in range(5)]
    events = harness(scripts, limits=Limits(max_turns=3)).run()
    done = events[-1]
    assert (done.ok, done.turns, done.reason, done.exit_code) == (False, 3, "max_turns", 1)


def test_token_budget_stops_the_run(harness) -> None:
    scripts = [[call("grep", f"c{n}", pattern=f"x{n}")] for n in range(5)]
    events = harness(scripts, limits=Limits(token_budget=50)).run()
    assert (events[-1].reason, events[-1].turns) == ("token_budget", 1)


def test_a_repeated_call_is_not_rerun_and_the_model_must_answer(harness) -> None:
    h = harness([[call("read_file", path="README.md")], [call("read_file", "c2", path="README.md")],
                 [TextDelta("Demo")]])
    events = h.run()
    results = [e for e in events if e.type == "tool_result"]
    assert events[-1].ok and [r.summary for r in results][1] == "repeated call: not run again"
    assert len(h.audit("tool_call")) == 1
    assert "already have the result of read_file" in h.provider.calls[2][0][-1].content
    assert h.provider.calls[2][1] == []  # no tools offered: answer now


def test_cancel_stops_before_the_next_turn(harness) -> None:
    cancel = threading.Event()
    cancel.set()
    events = harness([[TextDelta("hi")]]).run(cancel=cancel)
    assert (events[-1].reason, events[-1].turns) == ("cancelled", 0)


def test_retryable_provider_error_falls_back_visibly(harness) -> None:
    class Down(ScriptedProvider):
        def stream(self, messages, tools=(), options=None):
            raise ProviderError("cannot reach Ollama", retryable=True)
            yield  # pragma: no cover

    backup = ScriptedProvider([[TextDelta("from embedded")]], profile="embedded")
    events = harness([], provider=Down([], profile="default"), fallbacks=(backup,)).run()
    assert [e.profile for e in events if e.type == "route"] == ["default", "embedded"]
    error = next(e for e in events if e.type == "error")
    assert "cannot reach Ollama" in error.message and "embedded" in error.hint
    assert events[-1].ok
    failed = harness([], provider=Down([], profile="default")).run()
    assert (failed[-1].reason, failed[-1].exit_code) == ("error", 1)


def test_old_tool_output_is_trimmed_to_fit_the_window(harness, repo) -> None:
    (repo / "big.txt").write_text("".join(f"line {n} " + "x" * 60 + "\n" for n in range(380)))
    scripts = [[call("read_file", f"c{n}", path="big.txt", start_line=n * 90 + 1, end_line=n * 90 + 90)]
               for n in range(4)] + [[TextDelta("ok")]]
    h = harness(scripts)
    h.run()
    last_messages = h.provider.calls[-1][0]
    tool_messages = [m for m in last_messages if m.role == "tool"]
    assert "old tool output trimmed" in tool_messages[0].content
    assert "old tool output trimmed" not in tool_messages[-1].content
    assert sum(len(m.content) for m in last_messages) / 3.5 < 8192
    assert len(h.agent.conversation.messages[3].content) > 6_000  # the history itself is intact


def test_system_prompt_includes_agents_md_and_victor_instructions(harness, repo) -> None:
    (repo / "AGENTS.md").write_text("Always run ruff.\n")
    (repo / ".victor").mkdir()
    (repo / ".victor" / "instructions.md").write_text("Prefer pathlib.\n")
    from victor.agent.prompt import system_prompt

    prompt = system_prompt(repo)
    assert "Always run ruff." in prompt and "Prefer pathlib." in prompt


def test_secrets_in_tool_args_are_redacted_in_events_and_audit(harness) -> None:
    token = "".join(["ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"])
    h = harness([[call("write_file", path="cfg.txt", content=f"token={token}\n")], [TextDelta("saved")]],
                mode="full-auto")
    events = h.run()
    shown = next(e for e in events if e.type == "tool_call").args["content"]
    assert token not in shown and shown.startswith("token=")
    assert (h.root / "cfg.txt").read_text() == f"token={token}\n"  # the tool itself got the real value
    from victor import paths

    assert token not in paths.audit_log_file().read_text()


@pytest.mark.docker
def test_cancel_kills_a_running_shell_command_in_the_sandbox(harness, sandbox_image) -> None:
    h = harness([[call("run_shell", command="echo started; sleep 60")], [TextDelta("never")]], mode="full-auto")
    cancel = threading.Event()
    events: list = []
    worker = threading.Thread(target=lambda: events.extend(h.agent.run("wait", cancel)))
    started = time.monotonic()
    worker.start()
    time.sleep(3)
    cancel.set()
    worker.join(timeout=30)
    assert not worker.is_alive() and time.monotonic() - started < 30
    assert (events[-1].reason, events[-1].exit_code) == ("cancelled", 130)
    result = next(e for e in events if e.type == "tool_result")
    assert not result.ok
    h.agent.runner.context.sandbox().close()
