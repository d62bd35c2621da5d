"""A fleet of servers behind one profile (`base_url` as a list), through the real CLI. Scripted model
servers on loopback: requests spread over the servers, and a dead one is skipped visibly and audited.
Real servers: two `python -m llama_cpp.server` processes serving the embedded-small model, one killed
in the middle of a chat session; every turn completes on the other."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.enterprise.conftest import audit_records
from tests.providers.conftest import ndjson, recording
from tests.support.model_server import ModelServers

FLEET = """\
default_profile: fleet
profiles:
  fleet: {{provider: openai-compatible, model: {model}, base_url: {urls}, max_retries: 0, timeout_s: 60}}
"""


def write_fleet(home: Path, urls: list[str], model: str = "coder") -> None:
    (home / "profiles.yaml").write_text(FLEET.format(model=model, urls=json.dumps(urls)))


def closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/local/v1"


@pytest.fixture
def second_server() -> HTTPServer:
    server = HTTPServer()
    server.start()
    yield server
    server.clear()
    server.stop()


def test_requests_spread_over_the_fleet(git_repo: Path, victor_home: Path, httpserver: HTTPServer,
                                        second_server: HTTPServer, victor) -> None:
    (git_repo / "README.md").write_text("# Demo\n")
    turns = [("list_dir", {"path": "."}), ("read_file", {"path": "README.md"}), ("glob", {"pattern": "*.md"}), "done"]
    one, two = ModelServers(httpserver, turns), ModelServers(second_server, turns)  # one script, two servers
    write_fleet(victor_home, [one.local_url, two.local_url])
    done = victor("run", "--json", "look around", cwd=git_repo)
    assert done.returncode == 0, done.stderr
    assert (len(one.received), len(two.received)) == (2, 2)
    assert "skipped" not in done.stderr


def test_a_dead_server_is_skipped_visibly_and_audited(git_repo: Path, victor_home: Path, httpserver: HTTPServer,
                                                      victor) -> None:
    alive = ModelServers(httpserver, [("list_dir", {"path": "."}), "answered by the live server"])
    dead = closed_url()
    write_fleet(victor_home, [dead, alive.local_url])
    done = victor("run", "--json", "look around", cwd=git_repo)
    assert done.returncode == 0, done.stderr
    assert len(alive.received) == 2
    assert (f"warning: profile 'fleet': server {dead} failed (cannot connect to openai-compatible at {dead}/); "
            "skipped for 30s, trying the next server") in done.stderr
    assert done.stderr.count("skipped") == 1  # its circuit breaker keeps it out of the second request
    failed = audit_records(victor, git_repo, "endpoint_failed")
    assert [(r["endpoint"], r["profile"], r["success"], r["retried"]) for r in failed] == [(dead, "fleet", False, True)]
    assert audit_records(victor, git_repo, "chat")[0]["success"] is True


def test_an_ollama_fleet_asks_a_live_server_what_the_model_can_do(git_repo: Path, victor_home: Path,
                                                                   httpserver: HTTPServer, victor) -> None:
    httpserver.expect_request("/api/show", method="POST").respond_with_data(
        recording("ollama_show_tools.json"), content_type="application/json")
    httpserver.expect_request("/api/chat", method="POST").respond_with_response(ndjson("ollama_text.ndjson"))
    dead = closed_url().removesuffix("/local/v1")
    (victor_home / "profiles.yaml").write_text(
        "default_profile: fleet\nprofiles:\n  fleet: {provider: ollama, model: qwen2.5-coder:7b, max_retries: 0, "
        f"base_url: [{dead}, {httpserver.url_for('').rstrip('/')}]}}\n")
    done = victor("run", "--json", "--no-tools", "a haiku about git", cwd=git_repo)
    assert done.returncode == 0, done.stderr
    text = "".join(json.loads(line).get("delta", "") for line in done.stdout.splitlines())
    assert text == "Merge conflicts bloom"
    assert f"server {dead} failed" in done.stderr


def test_a_list_of_one_server_is_that_server(git_repo: Path, victor_home: Path, httpserver: HTTPServer,
                                             victor) -> None:
    alive = ModelServers(httpserver, ["answered by the one server"])
    write_fleet(victor_home, [alive.local_url])
    done = victor("run", "--json", "hello", cwd=git_repo)
    assert done.returncode == 0, done.stderr
    assert len(alive.received) == 1


def test_a_fleet_with_no_server_left_fails_like_one_server(git_repo: Path, victor_home: Path, victor) -> None:
    write_fleet(victor_home, [closed_url(), closed_url()])
    done = victor("run", "hello", cwd=git_repo)
    assert done.returncode == 1
    assert done.stderr.count("skipped for 30s") == 2 and "no server left to try" in done.stderr
    assert "Traceback" not in done.stderr


# --- two real llama.cpp servers --------------------------------------------------------------------


def start_llama_server(gguf: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Started as the `llama_server` fixture starts its one (tests/conftest.py)."""
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "4096", "--verbose", "false"]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/models", timeout=2).close()
            return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.3)


def wait_for_chat_records(audit_log: Path, count: int, chat: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if audit_log.exists() and audit_log.read_text().count('"action":"chat"') >= count:
            return
        assert chat.poll() is None, "the chat session ended early"
        time.sleep(0.5)
    raise AssertionError(f"no chat record #{count} within {timeout}s")


@pytest.mark.model
@pytest.mark.slow
def test_two_llama_servers_one_killed_mid_session(git_repo: Path, victor_home: Path, embedded_gguf: Path,
                                                  tmp_path: Path, victor) -> None:
    first, first_url = start_llama_server(embedded_gguf, tmp_path / "first.log")
    second, second_url = start_llama_server(embedded_gguf, tmp_path / "second.log")
    audit_log = tmp_path / "audit.jsonl"
    chat: subprocess.Popen | None = None
    try:
        write_fleet(victor_home, [first_url, second_url], model="qwen")
        chat = subprocess.Popen([sys.executable, "-m", "victor", "chat", "--plain"], cwd=git_repo, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "VICTOR_AUDIT_PATH": str(audit_log)})
        prompts = ["Reply with one word: hello.", "Reply with one word: yes.", "Reply with one word: done."]
        for number, prompt in enumerate(prompts, 1):
            chat.stdin.write(prompt + "\n")
            chat.stdin.flush()
            wait_for_chat_records(audit_log, number, chat)
            if number == 1:  # the first turn went to the first server; now it dies
                first.kill()
                first.wait(timeout=10)
        _, err = chat.communicate(timeout=60)  # end of input ends the session
    finally:
        for process in (first, second, chat):
            if process is not None and process.poll() is None:
                process.kill()
    print(err)
    assert chat.returncode == 0, err
    assert f"warning: profile 'fleet': server {first_url} failed" in err and "trying the next server" in err
    env = {"VICTOR_AUDIT_PATH": str(audit_log)}
    failed = audit_records(victor, git_repo, "endpoint_failed", env)
    assert [record["endpoint"] for record in failed] == [first_url]
    chats = audit_records(victor, git_repo, "chat", env)
    assert len(chats) == 3 and all(record["success"] for record in chats), chats
