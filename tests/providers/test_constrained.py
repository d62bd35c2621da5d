"""The JSON-schema tool-call format for backends without native tools (pure: no model here; the
real model runs in test_llamacpp_model.py)."""

from __future__ import annotations

from victor.providers.base import Message, TextDelta, ToolCall, ToolSpec
from victor.providers.constrained import call_schema, decode_reply, plain_chat, tool_instructions
from victor.tools.arguments import schema_problems

READ_FILE = ToolSpec(
    "read_file", "Read a file.", {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
)
RUN_SHELL = ToolSpec(
    "run_shell",
    "Run a command.",
    {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
)


def test_schema_allows_exactly_a_valid_call_or_an_answer() -> None:
    schema = call_schema([READ_FILE, RUN_SHELL])

    assert not schema_problems({"tool": "read_file", "arguments": {"path": "a"}}, schema)
    assert not schema_problems({"answer": "done"}, schema)
    assert schema_problems({"tool": "read_file", "arguments": {"command": "ls"}}, schema)
    assert schema_problems({"tool": "rm", "arguments": {}}, schema)


def test_required_tool_drops_the_answer_branch() -> None:
    schema = call_schema([READ_FILE], require_tool=True)

    assert schema_problems({"answer": "done"}, schema)
    assert "answer" not in tool_instructions([READ_FILE], require_tool=True)


def test_decode_reply() -> None:
    call = decode_reply('{"tool": "read_file", "arguments": {"path": "README.md"}}', [READ_FILE])

    assert isinstance(call, ToolCall) and call.arguments == {"path": "README.md"}
    assert decode_reply('{"answer": "The heading is Victor"}', [READ_FILE]) == TextDelta("The heading is Victor")
    assert decode_reply('{"tool": "read_fi', [READ_FILE]) == TextDelta('{"tool": "read_fi')  # cut at max_tokens


def test_plain_chat_writes_calls_as_json_and_keeps_turns_alternating() -> None:
    call = ToolCall("c1", "read_file", {"path": "README.md"})
    history = [
        Message("system", "Be brief."),
        Message("user", "Read it"),
        Message("assistant", "", tool_calls=[call]),
        Message("tool", "# Victor", tool_call_id="c1", name="read_file"),
    ]

    turns = plain_chat(history, fold_system=True)

    assert [t["role"] for t in turns] == ["user", "assistant", "user"]
    assert turns[0]["content"] == "Be brief.\n\nRead it"
    assert turns[1]["content"] == '{"tool": "read_file", "arguments": {"path": "README.md"}}'
    assert turns[2]["content"] == "Result of read_file:\n# Victor"
    assert plain_chat(history, fold_system=False)[0] == {"role": "system", "content": "Be brief."}
