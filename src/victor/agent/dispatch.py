"""Run one tool call the one way both the agent and `victor tools run` do: check arguments, confine
paths, apply the approval policy (asking the Approver when needed), snapshot before edits, run the
tool with live output, audit the call and the approval with redacted arguments, and emit events.

`ToolRunner.run(call)` is a generator of AgentEvents whose return value is a CallOutcome.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from victor.agent.approval import ApprovalRequest, Approver, Decision
from victor.agent.events import (
    AgentEvent,
    ApprovalEvent,
    DecidedBy,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
)
from victor.agent.policy import ApprovalPolicy
from victor.agent.preview import preview
from victor.audit.sink import AuditSink
from victor.errors import PolicyDenied, VictorError
from victor.providers.base import ToolCall
from victor.tools.arguments import coerce_arguments
from victor.tools.base import Tool, ToolArgumentError, ToolContext, ToolError, ToolResult

MAX_RESULT_CHARS = 16_000


@dataclass
class CallOutcome:
    """What the model is told, and how the call ended: ok, refused (by policy, confinement, a human)
    or blocked (a human was needed and none is there: the run stops)."""

    content: str
    ok: bool
    refused: bool = False
    blocked: bool = False
    error: VictorError | None = None
    exit_code: int | None = None
    summary: str = ""


class ToolRunner:
    def __init__(
        self,
        *,
        tools: list[Tool],
        context: ToolContext,
        policy: ApprovalPolicy,
        approver: Approver,
        audit: AuditSink,
        redact: Callable[[str], str],
        before_write: Callable[[str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.context = context
        self.policy = policy
        self.approver = approver
        self.audit = audit
        self.redact = redact
        self.before_write = before_write
        self.on_cancel = on_cancel

    def run(self, call: ToolCall) -> Generator[AgentEvent, None, CallOutcome]:
        shown = self.redact_args(call.arguments)
        yield ToolCallEvent(call.id, call.name, shown)
        try:
            tool = self.tools.get(call.name)
            if tool is None:
                raise ToolArgumentError(f"unknown tool '{call.name}'; available: {', '.join(self.tools)}")
            args = coerce_arguments(tool.parameters, call.arguments)
        except (ValueError, ToolArgumentError) as exc:
            return (yield from self._finish(call, shown, _failure(ToolArgumentError(str(exc))), 0))
        outcome = yield from self._approve(call, tool, args, shown)
        if outcome is not None:
            return (yield from self._finish(call, shown, outcome, 0))
        started = time.monotonic()
        outcome = yield from self._execute(call.id, tool, args)
        return (yield from self._finish(call, shown, outcome, int((time.monotonic() - started) * 1000)))

    def redact_args(self, args: dict[str, Any]) -> dict[str, Any]:
        return {key: self.redact(value) if isinstance(value, str) else value for key, value in args.items()}

    def _approve(
        self, call: ToolCall, tool: Tool, args: dict[str, Any], shown: dict[str, Any]
    ) -> Generator[AgentEvent, None, CallOutcome | None]:
        """None when the call may run; otherwise the refusal to report."""
        try:
            decision = self.policy.decide(tool, args)
        except PolicyDenied as exc:
            yield from self._decided(call, "deny", "policy", exc.message)
            return CallOutcome(f"refused: {exc.message}", ok=False, refused=True, error=exc)
        if decision.verdict == "allow":
            yield from self._decided(call, "approve", "policy", decision.reason)
            return None
        if decision.verdict == "deny":
            yield from self._decided(call, "deny", "policy", decision.reason)
            return CallOutcome(f"refused: {decision.reason}", ok=False, refused=True, error=PolicyDenied(decision.reason))
        if not self.approver.interactive:
            reason = f"{call.name} {decision.reason}: approval needed and no human is present"
            yield from self._decided(call, "deny", "no-human", decision.reason)
            error = PolicyDenied(reason, hint=decision.hint)
            return CallOutcome(f"refused: {reason}", ok=False, refused=True, blocked=True, error=error)
        request = ApprovalRequest(call.id, call.name, shown, decision.reason, self.redact(preview(tool, args, self.context.workspace)))
        answer = self.approver.ask(request)
        yield from self._decided(call, answer, "user", decision.reason)
        if answer == "always":
            self.policy.remember(tool, args)
        if answer == "deny":
            return CallOutcome("refused: the user denied this call", ok=False, refused=True, error=PolicyDenied("denied by the user"))
        return None

    def _decided(self, call: ToolCall, decision: Decision, by: DecidedBy, reason: str) -> Generator[AgentEvent, None, None]:
        self.audit.record("approval", success=decision != "deny", tool=call.name, call_id=call.id,
                          decision=decision, by=by, reason=self.redact(reason))
        yield ApprovalEvent(call.id, decision, by)

    def _execute(self, call_id: str, tool: Tool, args: dict[str, Any]) -> Generator[AgentEvent, None, CallOutcome]:
        if tool.effect == "write" and self.before_write is not None:
            self.before_write(args["path"])
        live: queue.Queue[str] = queue.Queue()
        box: list[CallOutcome] = []
        context = ToolContext(self.context.workspace, self.context.sandbox, live.put, self.context.cancel)
        worker = threading.Thread(target=lambda: box.append(_invoke(tool, context, args)), daemon=True)
        worker.start()
        cancelled = False
        while worker.is_alive() or not live.empty():
            try:
                yield ToolOutputEvent(call_id, self.redact(live.get(timeout=0.05)))
            except queue.Empty:
                pass
            if self.context.cancel.is_set() and not cancelled and self.on_cancel:
                cancelled = True
                self.on_cancel()
        worker.join()
        return box[0]

    def _finish(
        self, call: ToolCall, shown: dict[str, Any], outcome: CallOutcome, duration_ms: int
    ) -> Generator[AgentEvent, None, CallOutcome]:
        summary = outcome.summary or (outcome.content.splitlines() or [""])[0][:200]
        self.audit.record("tool_call", success=outcome.ok, tool=call.name, call_id=call.id, args=shown,
                          refused=outcome.refused, exit_code=outcome.exit_code, duration_ms=duration_ms)
        yield ToolResultEvent(call.id, outcome.ok, self.redact(summary), outcome.exit_code, duration_ms)
        return outcome


def _invoke(tool: Tool, context: ToolContext, args: dict[str, Any]) -> CallOutcome:
    try:
        result: ToolResult = tool.function(context, **args)
    except PolicyDenied as exc:
        return CallOutcome(f"refused: {exc.message}", ok=False, refused=True, error=exc)
    except VictorError as exc:
        return _failure(exc)
    except OSError as exc:
        return _failure(ToolError(f"{tool.name} failed: {exc.strerror or exc}"))
    content = result.output if len(result.output) <= MAX_RESULT_CHARS else (
        result.output[:MAX_RESULT_CHARS] + f"\n[output truncated at {MAX_RESULT_CHARS} characters]")
    return CallOutcome(content, ok=result.ok, exit_code=result.exit_code, summary=result.summary)


def _failure(exc: VictorError) -> CallOutcome:
    return CallOutcome(f"error: {exc.message}", ok=False, error=exc)
