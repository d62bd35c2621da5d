"""The prompt budget for MCP tools, measured on a real SDK server with 31 tools (many_tools_server.py),
its schema token counts printed: a window too small for all of them gets those that fit in its share
and `search_mcp_tools`; a search offers its matches from the next turn; tools that fit are left alone.
Then through the real `victor run --json` (the server over streamable HTTP on loopback, a scripted model
with an 8k window): the model searches, and calls what it found on the next turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.mcp.conftest import configure, run_json, serve_http, stdio_connection, tool_messages
from tests.support.model_server import ModelServers
from victor.agent.toolbox import tool_spec
from victor.config.schema import MCPServerConfig
from victor.mcp.budget import MAX_OFFERED, SEARCH_TOOL, SHARE, ToolBudget, spec_tokens
from victor.mcp.tools import select_tools
from victor.providers.base import ToolSpec
from victor.tools.registry import all_tools

SERVER = Path(__file__).parent / "many_tools_server.py"
WEATHER = "mcp__many__get_weather"


@pytest.fixture(scope="module")
def many() -> list[ToolSpec]:
    connection = stdio_connection(str(SERVER))
    try:
        listing = connection.open()
    finally:
        connection.close()
    tools, problems = select_tools("many", MCPServerConfig(command=["x"], max_tools=100), listing, lambda *call: None)
    assert problems == []
    return [tool_spec(tool) for tool in tools]


def names(specs: list[ToolSpec]) -> list[str]:
    return [spec.name for spec in specs]


def mcp_tokens(specs: list[ToolSpec]) -> int:
    return sum(spec_tokens(spec) for spec in specs if spec.name.startswith("mcp__") or spec.name == SEARCH_TOOL)


def test_a_small_window_gets_what_fits_and_the_search_tool(many: list[ToolSpec]) -> None:
    built_in = [tool_spec(tool) for tool in all_tools()]
    total = mcp_tokens(many)
    print(f"\n{len(many)} MCP tools: {total} schema tokens, {total / len(many):.0f} each; "
          f"{len(built_in)} built-in tools: {sum(map(spec_tokens, built_in))}")
    assert total > 8192 * SHARE and len(many) > MAX_OFFERED  # too many tokens for 8k, too many tools for any
    for window in (8192, 32768, 131072):
        offered = ToolBudget().fit([*built_in, *many], window)
        chosen = [name for name in names(offered) if name.startswith("mcp__")]
        print(f"window {window:>6}: {len(chosen):>2} of {len(many)} MCP tools + {SEARCH_TOOL}, "
              f"{mcp_tokens(offered)} tokens ({mcp_tokens(offered) / window:.1%} of the window)")
        assert names(offered)[: len(built_in)] == names(built_in) and names(offered)[-1] == SEARCH_TOOL
        assert mcp_tokens(offered) <= window * SHARE and 0 < len(chosen) < MAX_OFFERED
        assert WEATHER not in chosen  # the server lists it last


def test_a_search_offers_its_matches_from_the_next_turn(many: list[ToolSpec]) -> None:
    budget = ToolBudget()
    assert WEATHER not in names(budget.fit(many, 8192))
    found = budget.search.function(None, query="weather forecast")
    assert found.output.splitlines()[:2] == [
        "1 MCP tool matches 'weather forecast'; you can call them from your next turn:",
        f"- {WEATHER}(city, units?): The current weather forecast for a city."]
    assert WEATHER in names(budget.fit(many, 8192))
    several = budget.search.function(None, query="invoices payments refunds")
    assert several.summary == "found mcp__many__search_invoices, mcp__many__search_payments, mcp__many__search_refunds"
    assert {WEATHER, "mcp__many__search_refunds"} <= set(names(budget.fit(many, 8192)))
    missing = budget.search.function(None, query="zebra")
    assert missing.output == f"no MCP tool matches 'zebra' ({len(many)} searched); try other words"


def test_tools_that_fit_are_offered_unchanged(many: list[ToolSpec]) -> None:
    few = [*[tool_spec(tool) for tool in all_tools()], *many[:5]]
    assert ToolBudget().fit(few, 131072) == few
    assert SEARCH_TOOL not in names(ToolBudget().fit(few, 131072))


def test_the_model_searches_then_calls_what_it_found(project: Path, victor, victor_home: Path,
                                                     httpserver: HTTPServer) -> None:
    model = ModelServers(httpserver, [(SEARCH_TOOL, {"query": "weather"}), (WEATHER, {"city": "Oslo"}), "light rain"])
    with serve_http(SERVER) as url:
        configure(victor_home, model, mcp={"many": {"url": url, "max_tools": 100}}, context_window=8192)
        code, events = run_json(victor, "--task", "refactoring", "what is the weather in Oslo?", cwd=project)
    assert code == 0, events[-3:]
    offered = [[tool["function"] for tool in request.body["tools"]] for request in model.received]
    first = [ToolSpec(tool["name"], tool["description"], tool["parameters"]) for tool in offered[0]]
    print(f"\nfirst request: {len(first)} tools, MCP ones {mcp_tokens(first)} schema tokens of 8192")
    assert SEARCH_TOOL in names(first) and WEATHER not in names(first)
    assert mcp_tokens(first) <= 8192 * SHARE
    assert WEATHER in [tool["name"] for tool in offered[1]]
    searched, weather = tool_messages(model)
    assert searched.startswith("1 MCP tool matches 'weather'")
    assert weather == "Oslo: 12 degrees, light rain (metric)"
