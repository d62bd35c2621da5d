"""Tool-call repair: calls written as text are found, validated, and corrected with bounded retries."""

from __future__ import annotations

import pytest

from tests.support.scripted_provider import ScriptedProvider
from victor.providers.base import Done, TextDelta, ToolCall, ToolSpec
from victor.providers.text_calls import RepairError, parse_text_tool_call, with_repair

READ_FILE = ToolSpec(
    "read_file",
    "Read a file.",
    {
        "type": "object",
        "properties": {"path": {"type": "string"}, "limit": {"type": "integer"}},
        "required": ["path"],
        "additionalProperties": False,
    },
)
TOOLS = [READ_FILE]


@pytest.mark.parametrize(
    "text",
    [
        '<tool_call>\n{"name": "read_file", "arguments": {"path": "README.md"}}\n</tool_call>',
        'Sure! I will read it.\n```json\n{"name": "read_file", "parameters": {"path": "README.md"}}\n```',
        'Let me look: {"tool": "read_file", "arguments": {"path": "README.md"}} and then answer.',
        '{"type": "function", "function": {"name": "read_file", "arguments": "{\\"path\\": \\"README.md\\"}"}}',
        '{"tool": "read_file", "path": "README.md"}',
    ],
)
def test_common_textual_shapes_parse(text: str) -> None:
    call = parse_text_tool_call(text, TOOLS)

    assert call is not None and (call.name, call.arguments) == ("read_file", {"path": "README.md"})
    assert call.id.startswith("call_")


@pytest.mark.parametrize("text", ["The first heading is 'Victor'.", '{"heading": 1}', "[1, 2]", "{not json"])
def test_text_without_a_call_is_none(text: str) -> None:
    assert parse_text_tool_call(text, TOOLS) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"name": "delete_everything", "arguments": {}}', "no tool named 'delete_everything'"),
        ('{"name": "read_file", "arguments": {}}', "missing required field 'path'"),
        ('{"name": "read_file", "arguments": {"path": 3}}', "arguments.path must be of type string"),
        ('{"name": "read_file", "arguments": {"path": "a", "mode": "w"}}', "unknown field 'mode'"),
        ('{"name": "read_file", "arguments": {"path": "a", "limit": true}}', "arguments.limit must be of type integer"),
        ('{"name": "read_file", "arguments": "{path: a}"}', "not valid JSON"),
    ],
)
def test_invalid_calls_raise_with_a_corrective_message(text: str, problem: str) -> None:
    with pytest.raises(RepairError) as caught:
        parse_text_tool_call(text, TOOLS)

    assert problem in caught.value.problem
    correction = caught.value.corrective_message
    assert correction.role == "user" and problem in correction.content and '"path"' in correction.content


def test_with_repair_sends_a_correction_then_yields_the_fixed_call() -> None:
    model = ScriptedProvider(
        [
            [TextDelta('{"name": "read_file", "arguments": {"file": "README.md"}}')],
            [TextDelta('{"name": "read_file", "arguments": {"path": "README.md"}}')],
        ]
    )

    events = list(with_repair(model, [], TOOLS))

    calls = [e for e in events if isinstance(e, ToolCall)]
    assert [c.arguments for c in calls] == [{"path": "README.md"}] and events[-1] == Done("tool_calls")
    second_history = model.calls[1][0]
    assert second_history[-1].role == "user" and "missing required field 'path'" in second_history[-1].content


def test_with_repair_gives_up_after_the_bounded_attempts() -> None:
    bad = [TextDelta('{"name": "nope", "arguments": {}}')]
    model = ScriptedProvider([bad, bad, bad, bad])

    events = list(with_repair(model, [], TOOLS, max_attempts=2))

    assert len(model.calls) == 3
    assert not any(isinstance(e, ToolCall) for e in events) and events[-1] == Done("end")


def test_with_repair_passes_native_calls_and_plain_answers_through() -> None:
    native = ToolCall("call_1", "read_file", {"path": "a"})
    model = ScriptedProvider([[native], [TextDelta("All done.")]])

    assert list(with_repair(model, [], TOOLS))[0] == native
    assert [e for e in with_repair(model, [], TOOLS) if isinstance(e, ToolCall)] == []
    assert len(model.calls) == 2
