"""The bounded agent loop: ask the model, run the tool calls it makes, feed results back, until the
model answers without a tool or a limit is hit (max turns, token budget, cancel, a blocked approval).
It always ends with exactly one DoneEvent saying why.

The prompt goes out with the files it names and, first in a session, a map of the repository
(`grounding`). Tool calls come natively or, from any server, as text (`<tool_call>` JSON, repaired).
When the model stops calling tools in a run that asks for a change, `followup` applies the edits it
wrote as text, runs the tests, and feeds failures back or nudges it once.

Each turn's model comes from a ModelSelector (the session wires the router into it); a retryable
ProviderError asks the selector for a fallback. Tool calls go through the ToolRunner.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from victor.agent.call_text import CallText
from victor.agent.conversation import Conversation, estimate_tokens
from victor.agent.dispatch import ToolRunner
from victor.agent.events import (
    AgentEvent,
    DoneEvent,
    ErrorEvent,
    RouteEvent,
    StopReason,
    TextEvent,
    ToolCallEvent,
    ToolResultEvent,
    UsageEvent,
)
from victor.agent.followup import Followup, asks_for_change
from victor.agent.grounding import ground, reports_failure, workspace_paths
from victor.agent.repeats import RepeatGuard
from victor.audit.sink import AuditSink
from victor.errors import ProviderError, VictorError
from victor.providers.base import Message, Provider, StreamOptions, TextDelta, ToolCall, ToolSpec, Usage

if TYPE_CHECKING:
    from victor.routing.decision import RouteDecision  # routing builds on the agent: a type, not an import

DEFAULT_OUTPUT_RESERVE = 1024
ANSWER_NOW_MAX_TOKENS = 256  # a model told to answer now gets a short leash: a confused one rambles
SMALL_CONTEXT_TOKENS = 8192
SMALL_MODEL_SKIPS = frozenset({"git_status", "git_diff"})


@dataclass
class Selection:
    """The model chosen for one turn, and how to prepare messages for it (redaction)."""

    provider: Provider
    route: RouteEvent
    task: str = "general"
    prepare: Callable[[str], str] = field(default=lambda text: text)
    decision: RouteDecision | None = None  # the router's decision, handed back to `fallback`


class ModelSelector(Protocol):
    task: str | None  # set by the session before each run: a task type given with --task or /task
    profile: str | None  # set by the session on /profile: the profile asked for from now on

    def select(self, conversation: Conversation) -> Selection: ...

    def fallback(self, selection: Selection, error: ProviderError) -> Selection | None: ...

    def close(self) -> None: ...


@dataclass
class Limits:
    max_turns: int = 12
    token_budget: int = 100_000


@dataclass
class _Reply:
    text: str = ""
    calls: list[ToolCall] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0


class Agent:
    def __init__(
        self, *, selector: ModelSelector, runner: ToolRunner | None, tools: list[ToolSpec],
        conversation: Conversation, limits: Limits, audit: AuditSink,
    ) -> None:
        self.selector = selector
        self.runner = runner
        self.tools = tools
        self.conversation = conversation
        self.limits = limits
        self.audit = audit
        self.input_tokens = 0
        self.output_tokens = 0
        self.cost_usd = 0.0
        self.guard = RepeatGuard()
        self.followup: Followup | None = None
        self.fit_tools: Callable[[list[ToolSpec], int], list[ToolSpec]] | None = None  # (tools, window): MCP budget

    def run(self, prompt: str, cancel: threading.Event | None = None) -> Iterator[AgentEvent]:
        cancel = cancel or threading.Event()
        self.guard = RepeatGuard()
        self.followup = None
        if self.runner is not None and self.tools:
            self.runner.context.cancel = cancel  # a running shell command is killed too
            prompt = self._grounded(prompt)
        self.conversation.add(Message(role="user", content=prompt))
        turns, run_tokens, last_route = 0, 0, None
        while True:
            stop = self._limit_reached(turns, run_tokens, cancel)
            if stop:
                yield DoneEvent(ok=False, turns=turns, reason=stop, exit_code=1 if stop != "cancelled" else 130)
                return
            turns += 1
            try:
                answer = yield from self._model_turn(cancel, last_route)
            except VictorError as exc:
                yield ErrorEvent(type(exc).__name__, exc.message, exc.hint)
                yield DoneEvent(ok=False, turns=turns, reason="error", exit_code=exc.exit_code)
                return
            reply, last_route = answer
            run_tokens += reply.input_tokens + reply.output_tokens
            self.conversation.add(Message(role="assistant", content=_said(reply), tool_calls=reply.calls))
            if cancel.is_set():
                continue
            if not reply.calls:
                follow: Message | None = (yield from self.followup.after_stop(reply.text)) if self.followup else None
                if follow is None:
                    yield DoneEvent(ok=True, turns=turns, reason="done")
                    return
                self.conversation.add(follow)
                continue
            blocked = yield from self._run_calls(reply.calls)
            if blocked is not None:
                yield ErrorEvent("PolicyDenied", blocked.message, blocked.hint)
                yield DoneEvent(ok=False, turns=turns, reason="denied", exit_code=blocked.exit_code)
                return

    def _grounded(self, prompt: str) -> str:
        """`prompt` with the files it names and (first in a session) the repository map; those files
        count as read, so reading them again is a repeat."""
        assert self.runner is not None  # grounding is for runs with tools
        workspace = self.runner.context.workspace
        files = workspace_paths(workspace)
        earlier = [m.content for m in self.conversation.messages if m.role == "user"]
        shown = "\n".join(m.content for m in self.conversation.messages)
        grounding = ground(prompt, workspace, files, first=not earlier, shown=shown)
        for path in grounding.read:
            self.guard.repeated(ToolCall("", "read_file", {"path": path}))
        self.guard.answer_now = False
        self.followup = Followup(self.runner, files, [*earlier, prompt], asks_for_change(prompt),
                                 targets=grounding.read, failing=reports_failure(prompt))
        if grounding.read:
            self.audit.record("context_files", paths=grounding.read)
        return f"{prompt}\n\n{grounding.text}" if grounding.text else prompt

    def _limit_reached(self, turns: int, run_tokens: int, cancel: threading.Event) -> StopReason | None:
        if cancel.is_set():
            return "cancelled"
        if turns >= self.limits.max_turns:
            return "max_turns"
        if run_tokens >= self.limits.token_budget:
            return "token_budget"
        return None

    def _run_calls(self, calls: list[ToolCall]) -> Generator[AgentEvent, None, VictorError | None]:
        """Run each call; a tool error or refusal goes back to the model. Returns the error that
        blocked the run (approval needed, no human), or None."""
        assert self.runner is not None  # calls come only where tools were offered
        for index, call in enumerate(calls):
            instead = self.guard.repeated(call)
            refused = self.followup.refusal(call) if self.followup else None
            if instead is not None or refused is not None:
                yield ToolCallEvent(call.id, call.name, self.runner.redact_args(call.arguments))
                yield ToolResultEvent(call.id, refused is None, (refused or "repeated call: not run again")[:200])
                self.conversation.add_tool_result(call, cast(str, refused or instead))  # one of them is set
                continue
            outcome = yield from self.runner.run(call)
            if self.followup:
                self.followup.record(call, outcome.ok)
            self.conversation.add_tool_result(call, self.guard.checked_result(outcome.content, outcome.ok))
            if outcome.blocked:
                for skipped in calls[index + 1 :]:
                    self.conversation.add_tool_result(skipped, "skipped: the run stopped")
                return outcome.error
        return None

    def _model_turn(self, cancel: threading.Event,
                    last_route: RouteEvent | None) -> Generator[AgentEvent, None, tuple[_Reply, RouteEvent]]:
        selection = self.selector.select(self.conversation)
        while True:
            if selection.route != last_route:
                yield selection.route
            try:
                reply = yield from self._stream(selection, cancel)
                return reply, selection.route
            except ProviderError as error:
                self._record_request(selection, _Reply(), 0, success=False, error=error.message)
                fallback = self.selector.fallback(selection, error) if error.retryable else None
                if fallback is None:
                    raise
                yield ErrorEvent("ProviderError", error.message, f"falling back to profile '{fallback.route.profile}'")
                selection, last_route = fallback, selection.route

    def _stream(self, selection: Selection, cancel: threading.Event) -> Generator[AgentEvent, None, _Reply]:
        provider = selection.provider
        window = provider.capabilities.context_window or SMALL_CONTEXT_TOKENS
        tools = self._tools_for(provider)
        schema_tokens = estimate_tokens(json.dumps([[spec.description, spec.parameters] for spec in tools]))
        sent = self.conversation.fitted(window - DEFAULT_OUTPUT_RESERVE - schema_tokens, selection.prepare)
        reply, started = _Reply(), time.monotonic()
        short = self.guard.answer_now and not (self.followup and self.followup.wants_change)
        max_tokens = ANSWER_NOW_MAX_TOKENS if short else DEFAULT_OUTPUT_RESERVE
        temperature = self.followup.temperature if self.followup else None
        shown = CallText(hold=bool(tools) and not provider.capabilities.native_tools)
        for event in self._events(provider, sent, tools, StreamOptions(max_tokens=max_tokens, temperature=temperature)):
            if cancel.is_set():
                break
            if isinstance(event, TextDelta) and event.text:
                reply.text += event.text
                visible = shown.feed(event.text)
                if visible:
                    yield TextEvent(visible)
            elif isinstance(event, ToolCall):
                reply.calls.append(event)
            elif isinstance(event, Usage):
                reply.input_tokens, reply.output_tokens = event.input_tokens, event.output_tokens
                self.input_tokens += event.input_tokens
                self.output_tokens += event.output_tokens
                self.cost_usd += event.cost_usd
                yield UsageEvent(event.input_tokens, event.output_tokens, event.cost_usd)
                self._record_request(selection, reply, int((time.monotonic() - started) * 1000), cost=event.cost_usd)
        rest = shown.finish(called=bool(reply.calls))
        if rest:
            yield TextEvent(rest)
        self.guard.answer_now = False
        return reply

    def _tools_for(self, provider: Provider) -> list[ToolSpec]:
        """The tools offered this turn: none when the model must answer (it repeated a call); those
        `fit_tools` fits into the window; for small-context models, the core set (fewer schemas in the
        window, fewer wrong picks)."""
        if self.guard.answer_now:
            return []
        window = provider.capabilities.context_window or 0
        tools = self.fit_tools(self.tools, window or SMALL_CONTEXT_TOKENS) if self.fit_tools else self.tools
        if window <= SMALL_CONTEXT_TOKENS:
            return [spec for spec in tools if spec.name not in SMALL_MODEL_SKIPS]
        return tools

    def _events(self, provider: Provider, messages: list[Message], tools: list[ToolSpec], options: StreamOptions) -> Iterator[Any]:
        """The provider's events; a call written as text (many servers return the model's own
        `<tool_call>` format as text) becomes a ToolCall."""
        if tools:
            from victor.providers.text_calls import with_repair

            return with_repair(provider, messages, tools, options, loose=not provider.capabilities.native_tools)
        return provider.stream(messages, tools, options)

    def _record_request(
        self, selection: Selection, reply: _Reply, duration_ms: int, *, cost: float = 0.0,
        success: bool = True, error: str | None = None,
    ) -> None:
        route = selection.route
        last_user = next((m.content for m in reversed(self.conversation.messages) if m.role == "user"), "")
        self.audit.record(
            "model_request", success=success, profile=route.profile, provider=route.provider, model=route.model,
            location=route.location, task=selection.task, input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens, cost_usd=cost, duration_ms=duration_ms,
            **({"error": error} if error else {}), **self.audit.prompt_fields(last_user),
        )


def _said(reply: _Reply) -> str:
    """The reply's text for the history: none when it only wrote the calls out as text (they are
    kept once, as calls, in the format the provider sends them back in)."""
    return "" if any(call.name in reply.text for call in reply.calls) else reply.text
