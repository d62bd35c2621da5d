"""An SDK server with many tools (one search tool per record kind, and `get_weather` last), for the
prompt-budget tests: their schemas together would take far more than a small model's share."""

import sys

from mcp.server.mcpserver import MCPServer

KINDS = ["invoices", "orders", "customers", "suppliers", "shipments", "tickets", "contracts", "payments",
         "refunds", "employees", "timesheets", "projects", "milestones", "budgets", "assets", "licenses",
         "vendors", "audits", "incidents", "changes", "releases", "builds", "deployments", "alerts",
         "dashboards", "reports", "documents", "policies", "risks", "controls"]

server = MCPServer("many")


def searcher(kind: str):  # noqa: ANN201
    def search(query: str, limit: int = 10, include_archived: bool = False) -> str:
        return f"{kind}: no match for {query!r} (limit {limit}, archived {include_archived})"

    search.__name__ = f"search_{kind}"
    search.__doc__ = (f"Search the {kind} records of the back office by free text, newest first; "
                      f"returns at most `limit` {kind} with their identifiers and owners.")
    return search


for kind in KINDS:
    server.tool()(searcher(kind))


@server.tool()
def get_weather(city: str, units: str = "metric") -> str:
    """The current weather forecast for a city."""
    return f"{city}: 12 degrees, light rain ({units})"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--http"]:  # streamable HTTP on loopback: many_tools_server.py --http PORT
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run("stdio")
