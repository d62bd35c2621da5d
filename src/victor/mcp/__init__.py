"""Model Context Protocol: MCP servers from the profiles run contained (stdio servers in their own
locked-down container, HTTP servers under the egress rules) and their tools become Victor tools named
`mcp__<server>__<tool>`; `victor mcp serve` offers Victor's guarded tools to other agents.

Nothing here imports the `mcp` SDK at module level: it loads only when a server is used."""
