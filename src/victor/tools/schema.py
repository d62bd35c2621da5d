"""Derive a tool's JSON schema from its Python signature and Google-style docstring.

The first parameter (the ToolContext) is skipped; `Args:` lines give parameter descriptions; the
first docstring paragraph is the tool's description. Kept terse: the schemas go into every prompt.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}
_ARG_LINE = re.compile(r"^\s+(\w+):\s*(.+)$")


def derive_schema(function: Callable[..., Any]) -> tuple[str, dict[str, Any]]:
    """(description, parameters schema) for `function`."""
    doc = inspect.getdoc(function) or ""
    description, arg_docs = _parse_docstring(doc)
    hints = typing.get_type_hints(function)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for index, (name, parameter) in enumerate(inspect.signature(function).parameters.items()):
        if index == 0:
            continue  # the ToolContext
        schema, optional = _type_schema(hints[name])
        if name in arg_docs:
            schema["description"] = arg_docs[name]
        properties[name] = schema
        if parameter.default is inspect.Parameter.empty and not optional:
            required.append(name)
    parameters: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    return description, parameters


def _parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    summary, _, rest = doc.partition("\n\n")
    arg_docs: dict[str, str] = {}
    if "Args:" in rest:
        for line in rest.split("Args:", 1)[1].splitlines():
            match = _ARG_LINE.match(line)
            if match:
                arg_docs[match.group(1)] = match.group(2).strip()
    return " ".join(summary.split()), arg_docs


def _type_schema(hint: Any) -> tuple[dict[str, Any], bool]:
    """The JSON schema of a type hint, and whether it admits None."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        schema, _ = _type_schema(members[0])
        return schema, len(members) < len(typing.get_args(hint))
    if origin is Literal:
        return {"type": "string", "enum": list(typing.get_args(hint))}, False
    if origin is list:
        item, _ = _type_schema(typing.get_args(hint)[0])
        return {"type": "array", "items": item}, False
    if hint in _JSON_TYPES:
        return {"type": _JSON_TYPES[hint]}, False
    raise TypeError(f"tool parameter type {hint!r} has no JSON schema mapping")
