"""Enterprise fixtures: this machine's own non-loopback address (a stand-in for an internal server:
traffic to it never leaves the machine, yet it is neither `localhost` nor a loopback address), and a
scripted model server listening on it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

STAND_IN = "192.0.2.2"  # TEST-NET-1 (RFC 5737): never routed anywhere


def _global_addresses() -> list[str]:
    lines = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True,
                           check=True).stdout.split()
    return [word.split("/")[0] for before, word in pairwise(lines) if before == "inet"]


def _only_loopback() -> bool:
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
    return [line.split(":")[1].strip() for line in links.splitlines()] == ["lo"]


@pytest.fixture(scope="session")
def host_address() -> str:
    """A non-loopback address of this machine. In a network namespace with only `lo` (as `.ci/run`
    runs the suite) there is none, so a documentation address is put on `lo`: it dies with the namespace."""
    addresses = _global_addresses()
    if not addresses and _only_loopback():
        subprocess.run(["ip", "addr", "add", f"{STAND_IN}/32", "dev", "lo", "scope", "global"], check=True,
                       capture_output=True)
        addresses = _global_addresses()
    assert addresses, "this machine has no non-loopback IPv4 address to stand in for an internal server"
    return addresses[0]


@pytest.fixture
def internal_server(host_address: str) -> Iterator[HTTPServer]:
    """An HTTP server on `host_address`. Under the suite's egress guard (VICTOR_TEST_EGRESS_GUARD) this
    process trusts that address while the server runs, as the organisation's file would."""
    from victor.routing.egress import egress_guard_installed, install_egress_guard

    guarded = egress_guard_installed()
    if guarded:
        install_egress_guard([host_address])
    server = HTTPServer(host=host_address)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
        if guarded:
            install_egress_guard([])


def audit_records(victor, cwd: Path, action: str | None = None, env: dict[str, str] | None = None) -> list[dict]:
    done = victor("audit", "export", "--format", "jsonl", cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    return [record for record in records if action is None or record["action"] == action]
