"""An MCP server's tools as Victor tools: named `mcp__<server>__<tool>`, effect "mcp" (approved like a
shell command: asked unless full-auto or an `approvals.tools.mcp` rule names them), offered with their
own JSON schemas, checked first: a schema the model cannot follow is left out with a reason. Only the
tools the server's `tools:` globs select are offered, at most `max_tools` of them, with descriptions
cut short, so a server with many tools does not fill a small model's window. Results come back as text
(non-text content is named, not sent)."""

from __future__ import annotations

import fnmatch
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from victor.config.schema import MCPServerConfig
from victor.errors import MCPError
from victor.tools.base import Tool, ToolResult

PREFIX = "mcp__"
MAX_NAME = 64  # what OpenAI-style function names allow
MAX_DESCRIPTION = 300
_NAME = re.compile(r"[A-Za-z0-9_-]+")
Caller = Callable[[str, dict[str, Any], threading.Event], ToolResult]  # (remote tool, arguments, cancel)


def tool_name(server: str, tool: str) -> str:
    return f"{PREFIX}{server}__{tool}"


def server_of(name: str) -> str | None:
    """The server in an `mcp__<server>__<tool>` name; None for any other name."""
    return name.removeprefix(PREFIX).partition("__")[0] if name.startswith(PREFIX) else None


@dataclass(frozen=True)
class MCPTool(Tool):
    """A Victor tool that calls `remote` on MCP server `server`; approval rules match its name."""

    server: str = ""
    remote: str = ""

    def target(self, args: dict[str, Any]) -> str | None:
        return None


def select_tools(server: str, settings: MCPServerConfig, listing: list[Any],
                 call: Caller) -> tuple[list[MCPTool], list[str]]:
    """The tools to offer from a server's listing, and one line for each tool left out."""
    offered: list[MCPTool] = []
    problems: list[str] = []
    for remote in listing:
        if not any(fnmatch.fnmatchcase(remote.name, glob) for glob in settings.tools):
            continue
        try:
            parameters = checked_schema(remote.name, remote.input_schema)
            name = tool_name(server, remote.name)
            if not _NAME.fullmatch(remote.name) or len(name) > MAX_NAME:
                raise MCPError(f"tool name '{remote.name}' is not usable as a function name (letters, digits, "
                               f"'_' and '-', {MAX_NAME} characters with the prefix)")
        except MCPError as exc:
            problems.append(exc.message)
            continue
        if len(offered) == settings.max_tools:
            problems.append(f"more than max_tools ({settings.max_tools}) tools: '{remote.name}' and later ones "
                            "are not offered; narrow `tools:` to the ones you need")
            break
        description = " ".join((remote.description or remote.name).split())
        if len(description) > MAX_DESCRIPTION:
            description = description[: MAX_DESCRIPTION - 1] + "…"
        offered.append(MCPTool(name, description, parameters, "mcp", _caller(remote.name, call),
                               server=server, remote=remote.name))
    return offered, problems


def checked_schema(tool: str, schema: Any) -> dict[str, Any]:
    """The tool's input schema as Victor's tool runner reads it (an object with properties and required),
    without titles; MCPError when it is not a valid JSON schema of an object."""
    from jsonschema import SchemaError
    from jsonschema.validators import validator_for

    problem = f"tool '{tool}' has an input schema the model cannot follow"
    if not isinstance(schema, dict) or schema.get("type", "object") != "object":
        raise MCPError(f"{problem}: it must be a JSON schema of type object")
    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        raise MCPError(f"{problem}: {exc.message}") from None
    properties = schema.get("properties", {})
    if not isinstance(properties, dict) or not all(isinstance(value, dict) for value in properties.values()):
        raise MCPError(f"{problem}: 'properties' must map names to schemas")
    required = [name for name in schema.get("required", []) if name in properties]
    return {"type": "object", "properties": {name: _untitled(value) for name, value in properties.items()},
            "required": required}


def result_text(result: Any) -> tuple[str, bool]:
    """(the text the model sees, whether the server reported success)."""
    parts = []
    for block in result.content:
        text = getattr(block, "text", None)
        resource = getattr(block, "resource", None)
        if text is None and resource is not None:
            text = getattr(resource, "text", None)
        parts.append(text if isinstance(text, str) else f"[{block.type} content not shown]")
    if not parts and result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, ensure_ascii=False))
    return "\n".join(parts), not result.is_error


def _untitled(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "title"}


def _caller(remote: str, call: Caller) -> Callable[..., ToolResult]:
    def function(ctx: Any, **args: Any) -> ToolResult:
        return call(remote, args, ctx.cancel)  # the run's cancel event (Ctrl+C) abandons the call

    return function
