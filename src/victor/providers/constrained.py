"""Tool calls through JSON-schema constrained decoding, for backends without native tool calling
(Ollama models whose template has no tools, in-process models whose template has none), and the
same prompt and history in the model's own text format (`<tool_call>` JSON, `tagged=True`) for
servers that return a model's calls as text (llama.cpp's server, LM Studio, vLLM without a tool
parser; `tagged_chat`) and for in-process models whose template has it.

The schema lets the model do exactly one of: call one of the given tools (`tool` fixed to its name,
`arguments` following that tool's parameter schema) or give a final `answer`. The decoder enforces
it token by token, so even a tiny model emits a well-formed call; `decode_reply` turns the JSON into
a ToolCall or a TextDelta.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from victor.providers.base import Message, TextDelta, ToolCall, ToolSpec
from victor.providers.text_calls import RepairError, parse_text_tool_call

TAG_OPEN, TAG_CLOSE = "<tool_call>", "</tool_call>"
SENTENCE_END = re.compile(r"(?<=[a-z)])\.\s+(?=[A-Z])")


def call_schema(tools: Sequence[ToolSpec], *, require_tool: bool = False) -> dict[str, Any]:
    branches: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"tool": {"const": tool.name}, "arguments": _arguments_schema(tool)},
            "required": ["tool", "arguments"],
        }
        for tool in tools
    ]
    if not require_tool:
        branches.append({"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]})
    return branches[0] if len(branches) == 1 else {"anyOf": branches}


def tool_instructions(tools: Sequence[ToolSpec], *, require_tool: bool = False, tagged: bool = False) -> str:
    """The system-prompt hint that goes with `call_schema` (or, `tagged`, with free text): what each
    tool does and the reply shape."""
    lines = [_signature(tool) for tool in tools]
    if tagged:
        return ("You can use these tools:\n" + "\n".join(lines) + "\n"
                f"To use a tool, write {TAG_OPEN}{{\"name\": \"<tool name>\", \"arguments\": {{...}}}}{TAG_CLOSE} "
                "and stop. Otherwise answer in plain text.")
    shape = '{"tool": "<tool name>", "arguments": {...}}'
    ending = "" if require_tool else ' When no tool is needed, or once you know the answer, reply {"answer": "<text>"}.'
    return (
        "You can use these tools:\n" + "\n".join(lines) + "\n"
        f"To use a tool, reply with only this JSON: {shape}.{ending}"
    )


def call_as_text(call: ToolCall, *, tagged: bool = False) -> str:
    """An earlier call as the model itself would have written it, for the conversation history."""
    if tagged:
        return TAG_OPEN + json.dumps({"name": call.name, "arguments": call.arguments}) + TAG_CLOSE
    return json.dumps({"tool": call.name, "arguments": call.arguments})


def decode_reply(text: str, tools: Sequence[ToolSpec]) -> TextDelta | ToolCall:
    """The constrained reply as an event; text that is not the expected JSON (cut off) stays text."""
    try:
        reply = json.loads(text)
    except json.JSONDecodeError:
        reply = None
    if isinstance(reply, dict) and isinstance(reply.get("answer"), str) and "tool" not in reply:
        return TextDelta(reply["answer"])
    try:
        call = parse_text_tool_call(text, tools)
    except RepairError:
        call = None
    return call if call is not None else TextDelta(text)


def tagged_chat(
    messages: Sequence[Message], tools: Sequence[ToolSpec], *, fold_system: bool = False
) -> list[dict[str, str]]:
    """The conversation for a model that writes its calls as `<tool_call>` text: the tool hint right
    after the system prompt (the prefix stays stable), earlier calls in the same tags."""
    hints = [Message(role="system", content=tool_instructions(tools, tagged=True))] if tools else []
    return plain_chat([*messages[:1], *hints, *messages[1:]], fold_system=fold_system, tagged=True)


def plain_chat(messages: Sequence[Message], *, fold_system: bool, tagged: bool = False) -> list[dict[str, str]]:
    """The conversation as alternating plain-text turns any chat template accepts: calls are written
    as the JSON the model would emit, tool results become user turns, same-role turns are merged."""
    turns: list[dict[str, str]] = []
    for message in messages:
        role, content = message.role, message.content
        if message.role == "tool":
            role, content = "user", f"Result of {message.name or 'the tool'}:\n{message.content}"
        elif message.tool_calls:
            content = "\n".join([content, *(call_as_text(c, tagged=tagged) for c in message.tool_calls)]).strip()
        if role == "system" and fold_system:
            role = "user"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n\n" + content
        else:
            turns.append({"role": role, "content": content})
    return turns


def _signature(tool: ToolSpec) -> str:
    """`- name(arg, optional?): first sentence of the description`: a tool in few tokens."""
    schema = _arguments_schema(tool)
    required = set(schema.get("required", []))
    arguments = ", ".join(name if name in required else f"{name}?" for name in schema["properties"])
    return f"- {tool.name}({arguments}): {SENTENCE_END.split(tool.description)[0].rstrip('.')}"


def _arguments_schema(tool: ToolSpec) -> dict[str, Any]:
    parameters = dict(tool.parameters or {})
    parameters.setdefault("type", "object")
    parameters.setdefault("properties", {})
    return parameters
