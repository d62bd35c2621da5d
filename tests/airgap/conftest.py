"""Air-gap fixtures: one real bundle packed per session (PyPI reachable, pip's cache reused), and one
real air-gapped install of it: `install.sh` run inside a network namespace with no route out, into a
fresh venv with a fresh VICTOR_HOME, followed by `victor run` and `victor doctor --offline` there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

BUNDLE_NAME = "victor-bundle"


@dataclass(frozen=True)
class Bundle:
    directory: Path
    tar: Path
    pack_seconds: float


@dataclass(frozen=True)
class AirgappedMachine:
    """What the namespace run left: its output, the venv install.sh made, and timings."""

    result: subprocess.CompletedProcess[str]
    work: Path
    venv: Path
    home: Path
    install_seconds: float


def connected_env(home: Path) -> dict[str, str]:
    """The packing machine's environment: the suite's egress guard (a sitecustomize on PYTHONPATH)
    is left out, because packing is the one step that must reach PyPI."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("VICTOR_", "PYTHONPATH"))}
    return {**env, "VICTOR_HOME": str(home)}


def clean_env(work: Path, home: Path) -> dict[str, str]:
    """A bare environment, as on a fresh machine: no pip settings, no Victor variables, no PYTHONPATH."""
    python_bin = Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable))).parent
    return {"PATH": f"{python_bin}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(work / "home"),
            "VICTOR_HOME": str(home), "LANG": "C.UTF-8"}


def needs_network_namespace() -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("needs `unshare -n` (root, util-linux) to make a network namespace")


@pytest.fixture(scope="session")
def bundle(sandbox_image: str, tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """`victor airgap pack OUT.tar` once per session: the bundle directory and its tar."""
    root = tmp_path_factory.mktemp("pack")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "victor", "airgap", "pack", str(root / f"{BUNDLE_NAME}.tar")],
        env=connected_env(root / "home"), capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Bundle(root / BUNDLE_NAME, root / f"{BUNDLE_NAME}.tar", time.monotonic() - started)


def run_offline(command: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `command` in a new network namespace: loopback only, no route out."""
    wrapper = ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null || true; exec "$@"', "offline"]
    return subprocess.run([*wrapper, *command], env=env, cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def airgapped_machine(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> AirgappedMachine:
    """Carry the tar over (as on a USB stick), unpack it, and run its install.sh inside `unshare -n`."""
    needs_network_namespace()
    work = tmp_path_factory.mktemp("airgapped")
    usb = work / "usb"
    usb.mkdir()
    subprocess.run(["tar", "-xf", str(bundle.tar), "-C", str(usb)], check=True)
    home = work / "victor-home"
    started = time.monotonic()
    result = run_offline(["sh", str(usb / BUNDLE_NAME / "install.sh"), str(work / "venv")], clean_env(work, home))
    return AirgappedMachine(result, work, work / "venv", home, time.monotonic() - started)
