"""The tighten rule for `mcp.servers`: a layer that may only tighten (a project file; a user file
over what the organisation fixed) may disable a server or narrow it (fewer tools, a shorter timeout),
never add one, turn one back on, change what it runs, open its network, give it more environment or
more host directories. Plugs into config/tighten.py's RULES."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import TYPE_CHECKING

from victor.config.keys import Finding
from victor.config.schema import Config, MCPServerConfig

if TYPE_CHECKING:
    from victor.config.tighten import Context


def mcp_rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
    for name, server in after.mcp.servers.items():
        old = before.mcp.servers.get(name)
        here = ("mcp", "servers", name)
        if not server.enabled:
            continue
        if old is None:
            yield (here,), f"adds the MCP server '{name}' (a program the agent would start)"
            continue
        for key, why in _loosened(old, server):
            yield ((*here, key), here), why.format(f"the MCP server '{name}'")


def _loosened(old: MCPServerConfig, new: MCPServerConfig) -> Iterator[tuple[str, str]]:
    if not old.enabled:
        yield "enabled", "turns {} back on"
    for key in ("command", "url", "image"):
        if getattr(old, key) != getattr(new, key):
            yield key, f"changes what {{}} runs ({key})"
    if new.network and not old.network:
        yield "network", "opens the network of {}"
    if any(old.env.get(key) != value for key, value in new.env.items()):
        yield "env", "gives {} more environment"
    if any(mount not in old.mounts for mount in new.mounts):
        yield "mounts", "mounts more host directories into {}"
    if new.timeout_s > old.timeout_s:
        yield "timeout_s", "raises the timeout of {}"
    if new.max_tools > old.max_tools:
        yield "max_tools", "offers more tools of {}"
    if not all(_covered(glob, old.tools) for glob in new.tools):
        yield "tools", "offers more tools of {}"


def _covered(glob: str, globs: list[str]) -> bool:
    """Whether every name `glob` matches is matched by one of `globs` (conservatively: `glob` read as a name)."""
    return any(fnmatch.fnmatchcase(glob, old) for old in globs)
