"""The tool registry: `@tool(effect)` registers a typed function; `all_tools()` and `get_tool()` find them."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from victor.tools.base import Effect, Tool, ToolArgumentError
from victor.tools.schema import derive_schema

TOOL_MODULES = ["files", "editing", "search", "git", "shell"]
_TOOLS: dict[str, Tool] = {}


def tool(effect: Effect) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as a tool named after it."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        description, parameters = derive_schema(function)
        _TOOLS[function.__name__] = Tool(function.__name__, description, parameters, effect, function)
        return function

    return register


def all_tools() -> list[Tool]:
    for module in TOOL_MODULES:
        import_module(f"victor.tools.{module}")
    return list(_TOOLS.values())


def get_tool(name: str) -> Tool:
    tools = {tool.name: tool for tool in all_tools()}
    if name not in tools:
        raise ToolArgumentError(f"unknown tool '{name}'", hint=f"tools: {', '.join(tools)}")
    return tools[name]
