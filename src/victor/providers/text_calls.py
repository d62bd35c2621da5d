"""Tool-call repair for models that write calls as text instead of using native tool calling.

`parse_text_tool_call` finds a call in prose (a `<tool_call>` tag, a fenced JSON block, or a bare
JSON object), accepts the common shapes ({"name", "arguments"}, {"tool", ...}, OpenAI's
{"function": {...}}) and validates the arguments against the tool's schema. A call that names an
unknown tool or breaks the schema raises `RepairError`, whose `corrective_message` goes back to the
model; `with_repair` runs that loop around any provider with a bounded number of retries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from victor.providers.base import (
    Done,
    Event,
    Message,
    Provider,
    StreamOptions,
    TextDelta,
    ToolCall,
    ToolSpec,
    decode_arguments,
    new_call_id,
)
from victor.tools.arguments import schema_problems

MAX_REPAIR_ATTEMPTS = 2
NAME_KEYS = ("name", "tool", "tool_name", "function")
ARGUMENT_KEYS = ("arguments", "parameters", "args", "input")
TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
FENCED = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL)


class RepairError(Exception):
    """A tool call was found in the text but cannot be used; tell the model what to fix."""

    def __init__(self, problem: str, tools: Sequence[ToolSpec]) -> None:
        super().__init__(problem)
        self.problem = problem
        self.corrective_message = Message(role="user", content=_correction(problem, tools))


def parse_text_tool_call(text: str, tools: Sequence[ToolSpec], *, loose: bool = True) -> ToolCall | None:
    """The tool call written in `text`, validated; None when the text holds no call at all. Not
    `loose` (a model that may just be showing JSON in prose), only objects naming one of `tools`
    count as calls."""
    names = {tool.name for tool in tools}
    for candidate in _json_objects(text):
        shape = _call_shape(candidate)
        if shape is not None and (loose or shape[0] in names):
            return _validated(*shape, tools)
    return None


def with_repair(
    provider: Provider,
    messages: Sequence[Message],
    tools: Sequence[ToolSpec],
    options: StreamOptions | None = None,
    *,
    max_attempts: int = MAX_REPAIR_ATTEMPTS,
    loose: bool = True,
) -> Iterator[Event]:
    """`provider.stream(...)`, plus: a call written as text becomes a ToolCall event, and a broken
    one is sent back with a correction, at most `max_attempts` times (`loose` as in
    `parse_text_tool_call`)."""
    history = list(messages)
    for attempt in range(max_attempts + 1):
        text, done, called = [], Done(), False
        for event in provider.stream(history, tools, options):
            if isinstance(event, Done):
                done = event
                continue
            if isinstance(event, TextDelta):
                text.append(event.text)
            called = called or isinstance(event, ToolCall)
            yield event
        if called or not tools:
            break
        try:
            call = parse_text_tool_call("".join(text), tools, loose=loose)
        except RepairError as error:
            if attempt == max_attempts:
                break
            history += [Message(role="assistant", content="".join(text)), error.corrective_message]
            continue
        if call is not None:
            yield call
            done = Done("tool_calls")
        break
    yield done


def _json_objects(text: str) -> Iterator[Any]:
    """JSON values found in tags, then fenced blocks, then anywhere a '{' starts one."""
    decoder = json.JSONDecoder()
    for pattern in (TAGGED, FENCED):
        for match in pattern.finditer(text):
            try:
                yield json.loads(match.group(1))
            except json.JSONDecodeError:
                yield from _bare_objects(match.group(1), decoder)
    yield from _bare_objects(text, decoder)


def _bare_objects(text: str, decoder: json.JSONDecoder) -> Iterator[Any]:
    start = text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        yield value
        start = text.find("{", end)


def _call_shape(candidate: Any) -> tuple[str, Any] | None:
    """(tool name, raw arguments) when `candidate` looks like a tool call, else None."""
    if not isinstance(candidate, dict):
        return None
    inner = candidate.get("function")
    if isinstance(inner, dict) and isinstance(inner.get("name"), str):
        return inner["name"], inner.get("arguments", {})
    for key in NAME_KEYS:
        if isinstance(candidate.get(key), str):
            for arguments_key in ARGUMENT_KEYS:
                if arguments_key in candidate:
                    return candidate[key], candidate[arguments_key]
            return candidate[key], {k: v for k, v in candidate.items() if k != key}
    return None


def _validated(name: str, arguments: Any, tools: Sequence[ToolSpec]) -> ToolCall:
    by_name = {tool.name: tool for tool in tools}
    if name not in by_name:
        raise RepairError(f"there is no tool named '{name}'", tools)
    if isinstance(arguments, str):
        try:
            arguments = decode_arguments(arguments)
        except ValueError as error:
            raise RepairError(f"the arguments of '{name}' are {error}", tools) from None
    if not isinstance(arguments, dict):
        raise RepairError(f"the arguments of '{name}' must be a JSON object", tools)
    problems = schema_problems(arguments, by_name[name].parameters)
    if problems:
        raise RepairError(f"the call to '{name}' is invalid: {'; '.join(problems)}", tools)
    return ToolCall(id=new_call_id(), name=name, arguments=arguments)


def _correction(problem: str, tools: Sequence[ToolSpec]) -> str:
    listing = "\n".join(f"- {tool.name}: {json.dumps(tool.parameters)}" for tool in tools)
    return (
        f"Your tool call could not be used: {problem}.\n"
        'Reply with exactly one JSON object: {"name": "<tool>", "arguments": {...}}, '
        f"using one of these tools and its argument schema:\n{listing}"
    )
