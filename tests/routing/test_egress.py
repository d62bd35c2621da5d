"""Offline means no name leaves. The egress guard, in a fresh interpreter each time (an audit hook
cannot be removed): a connect or lookup past loopback raises PolicyDenied; loopback and unix sockets
still work. A project file cannot build a host name from the environment, and local backends never
go through HTTP_PROXY."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.providers.conftest import recording

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


@pytest.mark.egress_denial_expected
def test_only_localhost_itself_and_loopback_addresses_resolve(tmp_path: Path) -> None:
    """`*.localhost` and other loopback-sounding names may be answered by a DNS server, so looking
    them up is a way out: `TOKEN.localhost` carries the token to whoever serves DNS."""
    token = "ci" + "deploy" * 4
    results = run_guarded(f"""
        names = [{token + ".localhost"!r}, "ollama.localhost", "ip6-localhost", "localhost.localdomain",
                 "localhost.example.com", "localhost."]
        refused = {{name: attempt(lambda: socket.getaddrinfo(name, 11434)) for name in names}}
        refused["connect"] = attempt(lambda: socket.create_connection(({token + ".localhost"!r}, 11434), timeout=1))
        allowed = {{name: attempt(lambda: socket.getaddrinfo(name, 11434)) for name in ["localhost", "LOCALHOST",
                                                                                         "127.0.0.2", "::1"]}}
        print(json.dumps({{"refused": refused, "allowed": allowed}}))
    """, tmp_path)
    assert all(result.startswith("denied: ") for result in results["refused"].values()), results["refused"]
    assert not any(result.startswith("denied") for result in results["allowed"].values()), results["allowed"]
    assert f"socket.getaddrinfo {token}.localhost:11434" in (tmp_path / "egress.log").read_text()


def test_a_project_file_cannot_take_a_url_host_from_the_environment(git_repo: Path, victor) -> None:  # noqa: ANN001
    token = "ghp_" + "Q7r" * 12
    project = git_repo / ".victor" / "profiles.yaml"
    project.parent.mkdir()
    cases = {
        "http://${CI_DEPLOY_TOKEN}.localhost:11434": "profiles.local.base_url",
        "http://localhost:${CI_DEPLOY_TOKEN}": "profiles.local.base_url",
        "http://${CI_DEPLOY_TOKEN}@localhost:11434": "profiles.local.base_url",
        "${CI_DEPLOY_TOKEN}": "profiles.local.base_url",
    }
    for url, key in cases.items():
        project.write_text(f"profiles:\n  local:\n    provider: ollama\n    model: m\n    base_url: {url}\n")
        for command in (("profiles", "validate"), ("route", "hello", "--profile", "local")):
            result = victor(*command, env={"CI_DEPLOY_TOKEN": token})
            assert result.returncode == 2, (url, command, result.stdout + result.stderr)
            first = result.stderr.splitlines()[0]
            assert f"{project}:5: '{key}' builds a URL's host from an environment variable" in first, first
            assert token not in result.stdout + result.stderr

    project.write_text("profiles:\n  local:\n    provider: ollama\n    model: m\n"
                       "    base_url: http://localhost:11434/${OLLAMA_PREFIX:-v}\n    description: $${NOT_A_HOST}\n")
    assert victor("profiles", "validate").returncode == 0


class _RecordingProxy(BaseHTTPRequestHandler):
    """An HTTP proxy that forwards nothing: it records each request line and answers 502."""

    seen: list[str]

    def _record(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_CONNECT = _record

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    """A real proxy on loopback: its URL and the request lines it received."""
    handler = type("Proxy", (_RecordingProxy,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen
    server.shutdown()
    server.server_close()


LOCAL_BACKENDS = {
    "ollama": ("", "/api/chat", "ollama_text.ndjson", "application/x-ndjson", "Merge conflicts bloom"),
    "openai-compatible": ("/v1", "/v1/chat/completions", "openai_text.sse", "text/event-stream", None),
    "anthropic": ("", "/v1/messages", "anthropic_text.sse", "text/event-stream", None),
}


@pytest.mark.parametrize("provider", sorted(LOCAL_BACKENDS))
def test_local_backends_never_go_through_http_proxy(provider: str, proxy, httpserver: HTTPServer, victor_home: Path,
                                                    git_repo: Path, victor) -> None:  # noqa: ANN001
    """A local request skips the secret guard, so a proxy in the environment must not see it."""
    proxy_url, seen = proxy
    suffix, path, reply, content_type, text = LOCAL_BACKENDS[provider]
    httpserver.expect_request("/api/show", method="POST").respond_with_data(
        recording("ollama_show_plain.json"), content_type="application/json")
    httpserver.expect_request(path, method="POST").respond_with_response(
        Response(recording(reply), content_type=content_type))
    (victor_home / "profiles.yaml").write_text(
        f"profiles:\n  here:\n    provider: {provider}\n    model: m\n    api_key: not-a-key\n"
        f"    base_url: {httpserver.url_for('').rstrip('/')}{suffix}\n    max_retries: 0\n"
    )
    env = {name: proxy_url for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY")}
    result = victor("run", "--profile", "here", "--no-tools", "say hello", env={**env, "NO_PROXY": "", "no_proxy": ""})

    assert seen == [], f"the proxy saw a local request: {seen}"
    assert result.returncode == 0, result.stderr
    assert any(request.path == path for request, _ in httpserver.log)
    if text:
        assert text in result.stdout


def test_doctor_probes_a_local_backend_directly_not_through_http_proxy(proxy, httpserver: HTTPServer, victor_home: Path,
                                                                         git_repo: Path, victor) -> None:  # noqa: ANN001
    proxy_url, seen = proxy
    httpserver.expect_request("/api/tags").respond_with_data(recording("ollama_tags.json"),
                                                             content_type="application/json")
    (victor_home / "profiles.yaml").write_text(
        f"default_profile: here\nprofiles:\n  here:\n    provider: ollama\n    model: qwen2.5-coder:7b\n"
        f"    base_url: {httpserver.url_for('').rstrip('/')}\n"
    )
    result = victor("doctor", "--json", env={"HTTP_PROXY": proxy_url, "http_proxy": proxy_url, "NO_PROXY": "",
                                             "no_proxy": ""})

    assert seen == [], f"the proxy saw a local probe: {seen}"
    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    assert checks["profile here"]["ok"], checks["profile here"]
