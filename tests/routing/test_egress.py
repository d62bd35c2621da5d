"""The egress guard, in a fresh interpreter each time (an audit hook cannot be removed): a connect
past loopback raises PolicyDenied; loopback and unix sockets still work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PRELUDE = """
import json, socket, sys
from victor.errors import PolicyDenied
from victor.routing.egress import install_egress_guard, egress_guard_installed
install_egress_guard(); install_egress_guard()
def attempt(action):
    try:
        action()
    except PolicyDenied as denied:
        return "denied: " + denied.message
    except OSError as error:
        return "allowed (" + type(error).__name__ + ")"
    return "allowed"
"""


def run_guarded(body: str, tmp_path: Path) -> dict[str, str]:
    script = PRELUDE + textwrap.dedent(body)
    env = {**os.environ, "VICTOR_EGRESS_LOG": str(tmp_path / "egress.log")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.egress_denial_expected
def test_non_loopback_connect_is_refused(tmp_path: Path) -> None:
    results = run_guarded("""
        tcp = socket.socket()
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        print(json.dumps({
            "tcp": attempt(lambda: tcp.connect(("203.0.113.7", 443))),
            "tcp_ex": attempt(lambda: tcp.connect_ex(("198.51.100.1", 80))),
            "udp": attempt(lambda: udp.sendto(b"x", ("192.0.2.1", 53))),
            "ipv6": attempt(lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 443))),
            "dns": attempt(lambda: socket.getaddrinfo("api.anthropic.com", 443)),
            "create_connection": attempt(lambda: socket.create_connection(("api.openai.com", 443), timeout=1)),
            "installed": egress_guard_installed(),
        }))
    """, tmp_path)
    assert results.pop("installed") is True
    assert results["tcp"] == "denied: offline mode: refused a network connection to 203.0.113.7:443 (only loopback " \
                              "is allowed)"
    assert all(result.startswith("denied: ") for result in results.values()), results
    logged = (tmp_path / "egress.log").read_text().splitlines()
    assert logged[0] == "socket.connect 203.0.113.7:443" and len(logged) == len(results)


def test_loopback_and_unix_sockets_are_allowed(tmp_path: Path) -> None:
    results = run_guarded(f"""
        server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
        port = server.getsockname()[1]
        unix = socket.socket(socket.AF_UNIX); unix.bind({str(tmp_path / "s.sock")!r}); unix.listen()
        print(json.dumps({{
            "ipv4": attempt(lambda: socket.create_connection(("127.0.0.1", port), timeout=5)),
            "localhost": attempt(lambda: socket.create_connection(("localhost", port), timeout=5)),
            "ipv6": attempt(lambda: socket.socket(socket.AF_INET6).connect(("::1", port))),
            "unix": attempt(lambda: socket.socket(socket.AF_UNIX).connect({str(tmp_path / "s.sock")!r})),
        }}))
    """, tmp_path)
    assert results["ipv4"] == results["localhost"] == results["unix"] == "allowed"
    assert not results["ipv6"].startswith("denied")  # refused by the OS at most, never by the guard
    assert not (tmp_path / "egress.log").exists()
