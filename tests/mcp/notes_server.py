"""A small MCP server written with the SDK's server API, for the MCP tests: Victor starts it inside
its container (the directory mounted read-only, the SDK from the test venv's site-packages)."""

import os
import socket
import sys
import time

from mcp.server.mcpserver import MCPServer

server = MCPServer("notes")


@server.tool()
def add(a: int, b: int) -> str:
    """Add two whole numbers."""
    return str(a + b)


@server.tool()
def probe(host: str = "192.0.2.1", port: int = 80) -> str:
    """Try to open a TCP connection to host:port."""
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        return f"refused: {exc}"
    return f"connected to {host}:{port}"


@server.tool()
def whoami() -> str:
    """The server's uid, working directory and environment variable names."""
    return f"uid={os.getuid()} cwd={os.getcwd()} env={','.join(sorted(os.environ))}"


@server.tool()
def deploy_token() -> str:
    """The deploy token this server was given."""
    return f"token: {os.environ.get('NOTES_TOKEN', '')}"


@server.tool()
def hang() -> str:
    """Never answers."""
    time.sleep(3600)
    return "late"


@server.tool()
def crash() -> str:
    """Exits at once."""
    print("notes: crashing on purpose", file=sys.stderr, flush=True)
    os._exit(3)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--http"]:  # streamable HTTP on loopback: notes_server.py --http PORT
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run("stdio")
