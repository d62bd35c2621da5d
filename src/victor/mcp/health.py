"""`victor doctor`'s line per MCP server: each configured server is started as a session would start it
(in its own locked-down container), its tools listed, and stopped again."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from victor.config import LoadedConfig
    from victor.doctor import Check


def server_checks(loaded: LoadedConfig) -> list[Check]:
    from victor.doctor import Check

    config = loaded.config
    if not config.mcp.servers:
        return []
    from victor.mcp.servers import MCPServers
    from victor.paths import find_repo_root
    from victor.tools.workspace import Workspace

    root = find_repo_root()
    workspace = Workspace(root, config.approvals.deny_paths)
    servers = MCPServers(config, root, offline=config.offline_mode, masked=workspace.protected_files).start()
    servers.close()
    checks = []
    for state in servers.states.values():
        if state.state == "running":
            detail = f"{state.transport}, {len(state.offered)} of {len(state.listed)} tools offered, {state.where}"
        else:
            detail = f"{state.transport}, {state.state}" + (f": {state.detail}" if state.detail else "")
        checks.append(Check(f"mcp {state.name}", state.state != "failed", detail,
                            hint="see `victor mcp list`" if state.state == "failed" else None))
    return checks
