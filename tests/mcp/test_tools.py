"""MCP tools as Victor tools: names, the schema check, the `tools:` globs and `max_tools` budget, and the
approval policy (an MCP tool asks like a shell command unless full-auto or an approvals.tools.mcp rule)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from victor.agent.policy import ApprovalPolicy
from victor.config.schema import ApprovalConfig, MCPServerConfig
from victor.errors import MCPError
from victor.mcp.tools import MCPTool, checked_schema, result_text, select_tools
from victor.tools.base import ToolResult
from victor.tools.workspace import Workspace

OBJECT = {"type": "object", "properties": {"q": {"type": "string", "title": "Q"}}, "required": ["q"]}


def listed(name: str, schema: dict | None = None, description: str = "") -> SimpleNamespace:
    return SimpleNamespace(name=name, input_schema=OBJECT if schema is None else schema, description=description)


def choose(listing: list, **settings: object) -> tuple[list[MCPTool], list[str]]:
    calls: list = []
    server = MCPServerConfig(command=["x"], **settings)
    return select_tools("docs", server, listing, lambda tool, args, _: calls.append((tool, args)) or ToolResult("ok"))


def test_tools_are_named_and_offered_with_their_schema_without_titles() -> None:
    tools, problems = choose([listed("search", description="Search   the docs.")])
    assert problems == []
    assert (tools[0].name, tools[0].effect, tools[0].description) == ("mcp__docs__search", "mcp", "Search the docs.")
    assert tools[0].parameters == {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}
    assert tools[0].target({"command": "rm -rf /", "path": ".env"}) is None  # never matched as a command or path


@pytest.mark.parametrize(("schema", "why"), [
    ({"type": "string"}, "must be a JSON schema of type object"),
    ({"type": "object", "properties": {"q": {"type": "strin"}}}, "is not valid under any of the given schemas"),
    ({"type": "object", "properties": ["q"]}, "input schema the model cannot follow"),
    ({"type": "object", "required": "q"}, "input schema the model cannot follow"),
])
def test_a_schema_the_model_cannot_follow_is_left_out_with_a_reason(schema: dict, why: str) -> None:
    tools, problems = choose([listed("bad", schema), listed("good")])
    assert [tool.name for tool in tools] == ["mcp__docs__good"]
    assert len(problems) == 1 and problems[0].startswith("tool 'bad' has an input schema") and why in problems[0]


def test_a_tool_name_that_is_no_function_name_is_left_out() -> None:
    tools, problems = choose([listed("two words"), listed("x" * 60)])
    assert tools == [] and len(problems) == 2


def test_globs_select_and_max_tools_caps_what_is_offered() -> None:
    listing = [listed(f"read_{n}") for n in range(30)] + [listed("delete_all")]
    tools, problems = choose(listing, tools=["read_*"], max_tools=5)
    assert [tool.remote for tool in tools] == [f"read_{n}" for n in range(5)]
    assert problems == ["more than max_tools (5) tools: 'read_5' and later ones are not offered; narrow `tools:` "
                        "to the ones you need"]
    assert not any(tool.remote == "delete_all" for tool in choose(listing, tools=["read_*"])[0])


def test_a_long_description_is_cut_for_the_prompt_budget() -> None:
    tools, _ = choose([listed("search", description="word " * 500)])
    assert len(tools[0].description) == 300


def test_schema_check_keeps_only_required_names_that_exist() -> None:
    assert checked_schema("t", {"type": "object", "properties": {}, "required": ["ghost"]})["required"] == []
    with pytest.raises(MCPError):
        checked_schema("t", None)


def test_results_are_text_and_other_content_is_named() -> None:
    text = SimpleNamespace(type="text", text="found 2")
    image = SimpleNamespace(type="image", data="AAAA")
    assert result_text(SimpleNamespace(content=[text, image], structured_content=None, is_error=False)) == \
        ("found 2\n[image content not shown]", True)
    assert result_text(SimpleNamespace(content=[], structured_content={"n": 2}, is_error=True)) == ('{"n": 2}', False)


@pytest.mark.parametrize(("mode", "rules", "verdict"), [
    ("ask", {}, "ask"),
    ("auto-edit", {}, "ask"),
    ("full-auto", {}, "allow"),
    ("ask", {"mcp": {"allow": ["mcp__docs__*"]}}, "allow"),
    ("ask", {"mcp": {"allow": ["mcp__other__*"]}}, "ask"),
    ("full-auto", {"mcp": {"deny": ["mcp__docs__search"]}}, "deny"),
    ("full-auto", {"mcp": {"ask": ["mcp__*__search"]}}, "ask"),
    ("ask", {"mcp": {"allow": ["mcp__docs__*"], "deny": ["*search"]}}, "deny"),
])
def test_approval_rules_match_mcp_tools_by_name_or_glob(tmp_path: Path, mode: str, rules: dict, verdict: str) -> None:
    policy = ApprovalPolicy(ApprovalConfig(mode=mode, tools=rules), Workspace(tmp_path))
    tool = choose([listed("search")])[0][0]
    decision = policy.decide(tool, {"q": "x"})
    assert decision.verdict == verdict, decision.reason
    assert policy.may_run_unattended(tool) == (verdict == "allow")
