"""`victor --help`, `--version` and `scan-secrets` must not import the heavy libraries. Checked with
`-X importtime` in a subprocess: deterministic, not a timing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("textual", "openai", "anthropic", "ollama", "docker", "llama_cpp", "detect_secrets")


def imported_modules(*args: str, cwd) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "victor", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    lines = [line.split("|")[-1] for line in result.stderr.splitlines() if line.startswith("import time:")]
    return {line.strip() for line in lines}


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("scan-secrets", "--help"), ("scan-secrets", "--staged"), ("scan-secrets", "README.md")],
)
def test_fast_commands_import_no_heavy_library(args, git_repo):
    (git_repo / "README.md").write_text("# hello\n")
    modules = imported_modules(*args, cwd=git_repo)
    assert "victor" in modules
    heavy = sorted(name for name in modules if name.split(".")[0] in HEAVY)
    assert heavy == [], f"victor {' '.join(args)} imported {heavy}"


def test_version_imports_not_even_typer(tmp_path):
    modules = imported_modules("--version", cwd=tmp_path)
    assert not {"typer", "pydantic", "rich"} & {name.split(".")[0] for name in modules}


def test_python_dash_m_victor_matches_the_script(victor, tmp_path):
    from victor import __version__

    result = victor("--version", cwd=tmp_path)
    assert result.stdout.strip() == f"victor {__version__}"


def test_the_egress_guard_installs_without_the_configuration_machinery():
    # The suite's sitecustomize (and offline start-up) installs the guard in every Python process; if it
    # pulled in pydantic, every fast command above would too.
    code = ("import sys; from victor.routing.egress import install_egress_guard; install_egress_guard(['10.0.0.0/8']); "
            "import socket; socket.getaddrinfo('localhost', 80); "
            "print(sorted({'pydantic', 'typer', 'rich', 'yaml'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"
