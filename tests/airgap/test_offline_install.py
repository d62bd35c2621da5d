"""The air-gapped round trip, for real: a bundle packed on this machine, installed by its install.sh
inside a network namespace with no route out, then `victor run` and `victor doctor --offline` there;
and damaged bundles refused with the bad file's name and nothing installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.airgap.conftest import AirgappedMachine, Bundle, clean_env, needs_network_namespace, run_offline
from victor.models.catalog import QWEN_CODER_1_5B

pytestmark = [pytest.mark.docker, pytest.mark.model, pytest.mark.slow]
OFFLINE_CHECKS = {"offline profile", "model airgapped", "sandbox", "egress guard"}
EMBEDDED_GGUF = QWEN_CODER_1_5B.file_name  # what `victor airgap pack` bundles with no --model


def test_the_namespace_has_no_route_out(tmp_path: Path) -> None:
    needs_network_namespace()
    probe = "import socket; socket.create_connection(('192.0.2.1', 9), timeout=3)"
    result = run_offline(["python3", "-c", probe], clean_env(tmp_path, tmp_path / "home"))
    assert result.returncode != 0
    assert "Network is unreachable" in result.stderr


def test_install_sh_offline_then_run_and_doctor_succeed(bundle: Bundle, airgapped_machine: AirgappedMachine) -> None:
    machine = airgapped_machine
    assert machine.result.returncode == 0, machine.result.stdout + machine.result.stderr
    profile = yaml.safe_load((machine.home / "profiles.yaml").read_text())
    assert profile["offline_mode"] is True and profile["default_profile"] == "airgapped"
    assert (machine.home / "models" / EMBEDDED_GGUF).stat().st_size == QWEN_CODER_1_5B.size
    env = clean_env(machine.work, machine.home)
    repo = machine.work / "repo"
    repo.mkdir()

    run = run_offline([str(machine.venv / "bin" / "victor"), "run", "--profile", "airgapped", "--no-tools", "hello"],
                      env, cwd=repo)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip(), "the model produced no text"

    doctor = run_offline([str(machine.venv / "bin" / "victor"), "doctor", "--offline", "--json"], env, cwd=repo)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    checks = {check["name"]: check for check in json.loads(doctor.stdout)["checks"]}
    assert OFFLINE_CHECKS <= checks.keys()
    assert all(checks[name]["ok"] for name in OFFLINE_CHECKS), checks
    size_mb = sum(path.stat().st_size for path in bundle.directory.rglob("*") if path.is_file()) / 1e6
    print(f"\nbundle {size_mb:.0f} MB (tar {bundle.tar.stat().st_size / 1e6:.0f} MB); "
          f"pack {bundle.pack_seconds:.0f} s; offline install {machine.install_seconds:.0f} s")


def damaged_copy(bundle: Bundle, target: Path, damaged: str) -> Path:
    """A copy of the bundle (hard links, cheap) in which the file `damaged` is a private copy."""
    copy = target / bundle.directory.name
    shutil.copytree(bundle.directory, copy, copy_function=os.link)
    (copy / damaged).unlink()
    shutil.copyfile(bundle.directory / damaged, copy / damaged)
    return copy


def flip_a_byte(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0x01]))


def wheel_name(bundle: Bundle, prefix: str) -> str:
    return next(path.name for path in (bundle.directory / "wheels").glob(f"{prefix}-*.whl"))


@pytest.mark.parametrize("target", ["model", "wheel"])
def test_a_flipped_byte_is_refused_by_install_sh(bundle: Bundle, tmp_path: Path, target: str) -> None:
    damaged = f"models/{EMBEDDED_GGUF}" if target == "model" else f"wheels/{wheel_name(bundle, 'rich')}"
    copy = damaged_copy(bundle, tmp_path, damaged)
    flip_a_byte(copy / damaged)
    home = tmp_path / "victor-home"
    result = subprocess.run(["sh", str(copy / "install.sh"), str(tmp_path / "venv")], env=clean_env(tmp_path, home),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"{damaged}: FAILED" in result.stderr
    assert "the bundle is corrupt or incomplete" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "venv").exists() and not home.exists()


def airgap_install(machine: AirgappedMachine, source: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`victor airgap install` with the Victor the air-gapped install made (never the developer's venv)."""
    return subprocess.run([str(machine.venv / "bin" / "victor"), "airgap", "install", str(source)],
                          env=clean_env(home.parent, home), capture_output=True, text=True, timeout=600)


def assert_nothing_installed(home: Path) -> None:
    left = sorted(path.relative_to(home).as_posix() for path in home.rglob("*")) if home.exists() else []
    assert left == [], f"left behind in VICTOR_HOME: {left}"


def test_a_flipped_byte_is_refused_by_airgap_install(bundle: Bundle, airgapped_machine: AirgappedMachine,
                                                     tmp_path: Path) -> None:
    damaged = f"models/{EMBEDDED_GGUF}"
    copy = damaged_copy(bundle, tmp_path, damaged)
    flip_a_byte(copy / damaged)
    home = tmp_path / "victor-home"
    result = airgap_install(airgapped_machine, copy, home)
    assert result.returncode == 1
    assert f"victor: error: bundle is corrupt: {copy / damaged} does not match its SHA-256" in result.stderr
    assert "Traceback" not in result.stderr
    assert_nothing_installed(home)


def test_a_missing_or_unlisted_file_is_refused(bundle: Bundle, airgapped_machine: AirgappedMachine,
                                               tmp_path: Path) -> None:
    wheel = f"wheels/{wheel_name(bundle, 'typer')}"
    missing = damaged_copy(bundle, tmp_path / "missing", wheel)
    (missing / wheel).unlink()
    result = airgap_install(airgapped_machine, missing, tmp_path / "home1")
    assert result.returncode == 1 and f"bundle is incomplete: {missing / wheel} is missing" in result.stderr
    unlisted = damaged_copy(bundle, tmp_path / "unlisted", wheel)
    (unlisted / "wheels" / "extra-1.0-py3-none-any.whl").write_bytes(b"PK")
    result = airgap_install(airgapped_machine, unlisted, tmp_path / "home2")
    assert result.returncode == 1 and "does not list" in result.stderr and "extra-1.0" in result.stderr
    assert_nothing_installed(tmp_path / "home1")
    assert_nothing_installed(tmp_path / "home2")


def test_install_from_the_tar_keeps_an_existing_profile_file(bundle: Bundle, airgapped_machine: AirgappedMachine,
                                                            tmp_path: Path) -> None:
    home = tmp_path / "victor-home"
    home.mkdir()
    (home / "profiles.yaml").write_text("default_profile: embedded\n")
    result = airgap_install(airgapped_machine, bundle.tar, home)
    assert result.returncode == 0, result.stderr
    assert (home / "profiles.yaml.bak").read_text() == "default_profile: embedded\n"
    assert yaml.safe_load((home / "profiles.yaml").read_text())["offline_mode"] is True
    assert sorted(path.name for path in home.iterdir()) == ["models", "profiles.yaml", "profiles.yaml.bak"]
