"""The prompt budget for MCP tools: each turn, the MCP tools offered to the model may take at most
SHARE of its context window (the estimated tokens of each one's name, description and schema) and be
at most MAX_OFFERED tools. When they would not fit, the model gets the first ones that do (those it
searched for first, then in the servers' order) and `search_mcp_tools`, which searches the names and
descriptions of all of them and offers its matches from the next turn on. Within the budget nothing
changes."""

from __future__ import annotations

import json
import re
from typing import Any

from victor.agent.conversation import estimate_tokens
from victor.mcp.tools import PREFIX
from victor.providers.base import ToolSpec
from victor.tools.base import Tool, ToolResult

SHARE = 0.15
MAX_OFFERED = 12
MAX_MATCHES = 5
SEARCH_TOOL = "search_mcp_tools"
SEARCH_PARAMETERS = {"type": "object", "required": ["query"], "properties": {
    "query": {"type": "string", "description": "Words to look for in the tools' names and descriptions."}}}
SEARCH_DESCRIPTION = ("Search the MCP servers' tools that are not offered yet (by name and description); "
                      "the matches are offered from your next turn.")


def spec_tokens(spec: ToolSpec) -> int:
    """The estimated prompt tokens of one tool's name, description and schema."""
    return estimate_tokens(json.dumps([spec.name, spec.description, spec.parameters]))


class ToolBudget:
    """Fits the MCP tools into each turn's window; `search` is the tool that brings the others in."""

    def __init__(self) -> None:
        self.search = Tool(SEARCH_TOOL, SEARCH_DESCRIPTION, SEARCH_PARAMETERS, "read", self._search)
        self.found: list[str] = []  # names the model searched for, latest first
        self._candidates: list[ToolSpec] = []  # the MCP tools the model may be offered this session

    def fit(self, specs: list[ToolSpec], window: int) -> list[ToolSpec]:
        """`specs` for a model with `window` tokens: all of them if the MCP tools fit, else the
        MCP tools that fit and the search tool."""
        specs = [spec for spec in specs if spec.name != SEARCH_TOOL]
        self._candidates = [spec for spec in specs if spec.name.startswith(PREFIX)]
        allowed = int(window * SHARE)
        if len(self._candidates) <= MAX_OFFERED and sum(map(spec_tokens, self._candidates)) <= allowed:
            return specs
        search = ToolSpec(SEARCH_TOOL, SEARCH_DESCRIPTION, SEARCH_PARAMETERS)
        left = allowed - spec_tokens(search)
        by_name = {spec.name: spec for spec in self._candidates}
        ordered = [by_name[name] for name in self.found if name in by_name]
        ordered += [spec for spec in self._candidates if spec.name not in self.found]
        chosen: set[str] = set()
        for spec in ordered:
            left -= spec_tokens(spec)
            if len(chosen) == MAX_OFFERED - 1 or left < 0:
                break
            chosen.add(spec.name)
        return [spec for spec in specs if not spec.name.startswith(PREFIX) or spec.name in chosen] + [search]

    def _search(self, ctx: Any, query: str) -> ToolResult:
        words = re.findall(r"[a-z0-9]+", query.lower())
        scored = [(score, index, spec) for index, spec in enumerate(self._candidates)
                  if (score := _score(spec, words)) > 0]
        matches = [spec for _, _, spec in sorted(scored, key=lambda item: (-item[0], item[1]))[:MAX_MATCHES]]
        if not matches:
            return ToolResult(f"no MCP tool matches '{query}' ({len(self._candidates)} searched); try other words",
                              summary="no match")
        names = [spec.name for spec in matches]
        self.found = [*names, *(name for name in self.found if name not in names)]
        lines = [f"- {spec.name}({_arguments(spec)}): {spec.description}" for spec in matches]
        found = "1 MCP tool matches" if len(matches) == 1 else f"{len(matches)} MCP tools match"
        return ToolResult(f"{found} '{query}'; you can call them from your next turn:\n" + "\n".join(lines),
                          summary=f"found {', '.join(names)}")


def _score(spec: ToolSpec, words: list[str]) -> int:
    """Two points for each word in the tool's name, one for each in its description only."""
    name, description = spec.name.lower(), spec.description.lower()
    return sum(2 if word in name else 1 if word in description else 0 for word in words)


def _arguments(spec: ToolSpec) -> str:
    required = spec.parameters.get("required", [])
    return ", ".join(name + ("" if name in required else "?") for name in spec.parameters.get("properties", {}))
