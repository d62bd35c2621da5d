"""Tool schemas derive from signatures and docstrings; arguments are checked and coerced against them."""

from __future__ import annotations

from typing import Literal

import pytest

from victor.tools.arguments import coerce_arguments
from victor.tools.base import ToolContext, ToolResult
from victor.tools.registry import all_tools
from victor.tools.schema import derive_schema


def sample(ctx: ToolContext, path: str, limit: int = 5, mode: Literal["a", "b"] = "a", tags: list[str] | None = None,
           flag: bool = False) -> ToolResult:
    """Do a sample thing.

    Longer text that is not part of the description.

    Args:
        path: where to do it
        limit: how many
    """
    return ToolResult("")


def test_schema_from_signature_and_docstring() -> None:
    description, schema = derive_schema(sample)
    assert description == "Do a sample thing."
    assert schema["required"] == ["path"]
    assert schema["properties"]["path"] == {"type": "string", "description": "where to do it"}
    assert schema["properties"]["limit"]["type"] == "integer"
    assert schema["properties"]["mode"] == {"type": "string", "enum": ["a", "b"]}
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert schema["properties"]["flag"] == {"type": "boolean"}


def test_every_registered_tool_has_a_description_and_documented_arguments() -> None:
    names = [tool.name for tool in all_tools()]
    assert names == ["read_file", "list_dir", "glob", "write_file", "edit_file", "grep", "git_status", "git_diff",
                     "run_shell"]
    for tool in all_tools():
        assert tool.description
        for name, prop in tool.parameters["properties"].items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"


def test_arguments_are_coerced_and_checked() -> None:
    _, schema = derive_schema(sample)
    assert coerce_arguments(schema, {"path": "x", "limit": "7", "flag": "true"}) == {"path": "x", "limit": 7, "flag": True}
    with pytest.raises(ValueError, match="missing required"):
        coerce_arguments(schema, {"limit": 1})
    with pytest.raises(ValueError, match="unknown field 'bogus'"):
        coerce_arguments(schema, {"path": "x", "bogus": 1})
    with pytest.raises(ValueError, match="arguments.limit must be of type integer"):
        coerce_arguments(schema, {"path": "x", "limit": "many"})
    with pytest.raises(ValueError, match=r"must be one of \['a', 'b'\]"):
        coerce_arguments(schema, {"path": "x", "mode": "c"})


def test_left_out_and_whole_numbers_are_accepted_but_list_items_are_checked() -> None:
    _, schema = derive_schema(sample)
    assert coerce_arguments(schema, {"path": "x", "limit": 7.0, "tags": None}) == {"path": "x", "limit": 7}
    with pytest.raises(ValueError, match=r"missing required field 'path'; arguments.limit must be of type integer"):
        coerce_arguments(schema, {"path": None, "limit": 7.5})
    with pytest.raises(ValueError, match=r"arguments.tags\[1\] must be of type string"):
        coerce_arguments(schema, {"path": "x", "tags": ["a", 2]})
