"""Trusted internal hosts through the real CLI: `network.trusted_hosts` in the user's file lets an
offline session reach the organisation's own server (this machine's non-loopback address stands in
for it, served by the scripted model server), counts it as local for routing, is listed and probed by
`doctor --offline`; a project file may not add one; plain http to any other host is refused at load."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.enterprise.conftest import audit_records
from tests.support.model_server import ModelServers

PROFILES = """\
default_profile: corp
{network}profiles:
  corp: {{provider: openai-compatible, model: corp-coder, base_url: "{url}"{extra}}}
"""


def write_profiles(home: Path, url: str, *, trusted: list[str] | None = None, extra: str = "") -> None:
    network = f"network: {{trusted_hosts: {json.dumps(trusted)}}}\n" if trusted is not None else ""
    (home / "profiles.yaml").write_text(PROFILES.format(network=network, url=url, extra=extra))


def test_an_offline_run_reaches_a_trusted_internal_server(git_repo: Path, victor_home: Path, internal_server,
                                                          host_address: str, victor) -> None:
    servers = ModelServers(internal_server, ["hello from the internal server"])
    url = f"http://{host_address}:{internal_server.port}/local/v1"
    write_profiles(victor_home, url, trusted=[host_address])
    done = victor("run", "--json", "--offline", "say hello", cwd=git_repo)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stderr
    route = next(event for event in events if event["type"] == "route")
    assert (route["profile"], route["location"]) == ("corp", "local")
    assert servers.sides() == ["local"]
    assert "hello from the internal server" in "".join(e.get("delta", "") for e in events if e["type"] == "text")
    assert audit_records(victor, git_repo, "session_start")[-1]["offline"] is True


def test_the_same_server_untrusted_is_refused_offline(git_repo: Path, victor_home: Path, internal_server,
                                                      host_address: str, victor) -> None:
    ModelServers(internal_server, ["never sent"])
    url = f"http://{host_address}:{internal_server.port}/local/v1"
    write_profiles(victor_home, url, extra=", allow_insecure_http: true")
    done = victor("run", "--offline", "--profile", "corp", "say hello", cwd=git_repo)
    assert done.returncode == 4, done.stderr
    assert "offline mode: profile 'corp' (openai-compatible) would send the request off this machine" in done.stderr
    assert not internal_server.log


def test_route_offline_keeps_a_default_on_a_trusted_host(git_repo: Path, victor_home: Path, victor) -> None:
    write_profiles(victor_home, "http://10.20.30.40:8000/v1", trusted=["10.20.0.0/16"])
    done = victor("route", "--offline", "--json", "explain this function", cwd=git_repo)
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert (decision["profile"], decision["location"]) == ("corp", "local"), decision
    write_profiles(victor_home, "http://10.20.30.40:8000/v1", trusted=["10.21.0.0/16"],
                   extra=", allow_insecure_http: true")
    done = victor("route", "--offline", "--json", "explain this function", cwd=git_repo)
    assert json.loads(done.stdout)["profile"] != "corp"  # outside the trusted range: not inside the organisation


def test_a_project_file_may_remove_trusted_hosts_but_not_add(git_repo: Path, victor_home: Path, victor) -> None:
    write_profiles(victor_home, "https://gpu.corp.example/v1", trusted=["gpu.corp.example", "10.0.0.0/8"])
    assert json.loads(victor("route", "--json", "hello", cwd=git_repo).stdout)["profile"] == "corp"
    project = git_repo / ".victor"
    project.mkdir()
    (project / "profiles.yaml").write_text("network:\n  trusted_hosts: [10.0.0.0/8]\n")
    done = victor("route", "--json", "hello", cwd=git_repo)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["profile"] != "corp"  # outside the organisation now: a local task stays off it
    (project / "profiles.yaml").write_text("network:\n  trusted_hosts:\n    - gpu.corp.example\n    - evil.example\n")
    done = victor("route", "--json", "hello", cwd=git_repo)
    assert done.returncode == 2
    assert (".victor/profiles.yaml:2: a project file may tighten security but not loosen it: 'network.trusted_hosts' "
            "trusts more hosts as inside the organisation") in done.stderr


def test_plain_http_to_an_outside_host_is_refused_at_load(git_repo: Path, victor_home: Path, victor) -> None:
    write_profiles(victor_home, "http://10.9.8.7:8000/v1")
    done = victor("profiles", "list", cwd=git_repo)
    assert done.returncode == 2
    assert "profiles.yaml:3: 'profiles.corp.base_url': http://10.9.8.7:8000/v1 is plain http" in done.stderr
    assert "allow_insecure_http: true" in done.stderr and "Traceback" not in done.stderr
    for fixed in ({"trusted": ["10.9.8.7:8000"]}, {"extra": ", allow_insecure_http: true"}):
        write_profiles(victor_home, "http://10.9.8.7:8000/v1", **fixed)
        assert victor("profiles", "list", cwd=git_repo).returncode == 0
    write_profiles(victor_home, "http://10.9.8.7:8000/v1", trusted=["10.9.8.7:9000"])  # another port
    assert victor("profiles", "list", cwd=git_repo).returncode == 2


@pytest.mark.egress_denial_expected  # doctor's own proof that the guard refuses 192.0.2.1:9
def test_doctor_offline_lists_and_probes_each_trusted_host(git_repo: Path, victor_home: Path, internal_server,
                                                           host_address: str, victor) -> None:
    ModelServers(internal_server, [])
    internal_server.expect_request("/local/v1").respond_with_data("ok")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    write_profiles(victor_home, f"http://{host_address}:{internal_server.port}/local/v1",
                   trusted=[host_address, f"{host_address}:{closed}", "10.0.0.0/8"])
    (victor_home / "profiles.yaml").write_text((victor_home / "profiles.yaml").read_text() + "offline_mode: true\n")
    done = victor("doctor", "--offline", "--json", cwd=git_repo, timeout=300)
    checks = {check["name"]: check for check in json.loads(done.stdout)["checks"]}
    assert checks[f"trusted host {host_address}"]["ok"] is True, checks
    assert checks[f"trusted host {host_address}"]["detail"].startswith("reachable: http://")
    assert checks[f"trusted host {host_address}:{closed}"]["ok"] is False
    assert checks["trusted host 10.0.0.0/8"]["detail"] == "trusted, no profile uses it (nothing to probe)"
    assert checks["egress guard"]["ok"] is True
    assert checks["profile corp"]["ok"] is True


@pytest.mark.egress_denial_expected
def test_the_guard_lets_exactly_the_trusted_host_and_port_through(internal_server, host_address: str,
                                                                   tmp_path: Path) -> None:
    script = f"""
import socket
from victor.errors import PolicyDenied
from victor.routing.egress import install_egress_guard
install_egress_guard([{host_address + ':' + str(internal_server.port)!r}])
socket.create_connection(({host_address!r}, {internal_server.port}), timeout=5).close()
print("trusted port: connected")
for target in [({host_address!r}, {internal_server.port + 1}), ("203.0.113.7", 443)]:
    try:
        socket.create_connection(target, timeout=5)
    except PolicyDenied as error:
        print(error.message)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "VICTOR_EGRESS_LOG": str(tmp_path / "egress.log")})
    assert done.stdout.splitlines() == [
        "trusted port: connected",
        f"offline mode: refused a network connection to {host_address}:{internal_server.port + 1} (only loopback "
        "and network.trusted_hosts are allowed)",
        "offline mode: refused a network connection to 203.0.113.7:443 (only loopback and network.trusted_hosts "
        "are allowed)",
    ], done.stderr
