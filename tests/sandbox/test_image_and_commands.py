"""The image (offline-built by the `sandbox_image` fixture), `victor sandbox status | shell | prune |
export | import | build` and the seed's docker-compose.yml."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

from victor.sandbox.engine import LABEL

pytestmark = pytest.mark.docker
REPO = Path(__file__).resolve().parents[2]


def test_the_tag_is_a_hash_of_the_definition_and_the_image_has_the_tools(sandbox_image: str, session) -> None:
    assert re.fullmatch(r"victor-sandbox:[0-9a-f]{12}", sandbox_image)
    result = session.exec("python3 --version; git --version; bash -c 'echo $BASH_VERSION'; ls --version | head -1")
    lines = result.output.splitlines()
    assert lines[0].startswith("Python 3.11") and lines[1].startswith("git version 2.")
    assert lines[2].startswith("5.") and "coreutils" in lines[3]
    assert session.exec("ls /var/lib/apt/lists /var/cache/apt/archives 2>/dev/null | grep -c deb").output == "0\n"


def test_status_shows_engine_image_and_runtime(victor, sandbox_image: str, workspace: Path) -> None:
    done = victor("sandbox", "status", cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert f"image    {sandbox_image} (present)" in done.stdout
    assert re.search(r"^engine   Docker \d+\.", done.stdout, re.M) and "runtime  runc" in done.stdout


def test_shell_runs_in_the_locked_down_sandbox(victor, sandbox_image: str, workspace: Path) -> None:
    done = victor("sandbox", "shell", cwd=workspace, input="id -u; pwd; touch /etc/x\nexit\n")
    assert done.stdout.splitlines()[:2] == [str(os.getuid() or 1000), "/workspace"], done.stderr
    assert "Read-only file system" in done.stderr


def test_prune_removes_only_containers_of_dead_victor_processes(victor, sandbox_image: str) -> None:
    import docker

    client = docker.from_env()
    dead = _dead_pid()
    orphan = client.containers.create(sandbox_image, labels={LABEL: "session", f"{LABEL}.pid": str(dead)})
    live = client.containers.create(sandbox_image, labels={LABEL: "session", f"{LABEL}.pid": str(os.getpid())})
    try:
        done = victor("sandbox", "prune")
        # other stale Victor containers on this machine may go too: judge only this test's own two
        removed = re.search(r"removed (\d+) container\(s\)", done.stdout)
        assert done.returncode == 0 and removed and int(removed.group(1)) >= 1, done.stdout + done.stderr
        ids = {c.id for c in client.containers.list(all=True, filters={"label": LABEL})}
        assert orphan.id not in ids and live.id in ids
    finally:
        live.remove(force=True)


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_export_then_import_carries_the_image(victor, sandbox_image: str, tmp_path: Path) -> None:
    bundle = tmp_path / "sandbox.tar"
    exported = victor("sandbox", "export", str(bundle))
    assert exported.returncode == 0 and f"wrote {sandbox_image}" in exported.stdout, exported.stderr
    with tarfile.open(bundle) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest[0]["RepoTags"] == [sandbox_image]
    imported = victor("sandbox", "import", str(bundle))
    assert imported.returncode == 0 and f"loaded {sandbox_image}" in imported.stdout, imported.stderr


def test_import_of_a_non_image_is_one_clear_line(victor, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_text("not a tar")
    done = victor("sandbox", "import", str(junk))
    assert done.returncode == 1 and "is not a Docker image tar" in done.stderr and "Traceback" not in done.stderr


def test_build_with_a_missing_rootfs_says_so(victor, tmp_path: Path) -> None:
    done = victor("sandbox", "build", "--rootfs", str(tmp_path / "none.tar"))
    assert done.returncode == 1 and f"no rootfs tar at {tmp_path / 'none.tar'}" in done.stderr


def test_docker_compose_config_passes_with_the_seed_lockdown() -> None:
    compose = [shutil.which("docker-compose")] if shutil.which("docker-compose") else ["docker", "compose"]
    done = subprocess.run([*compose, "config"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    sandbox = services["victor-sandbox"]
    assert sandbox["read_only"] is True and sandbox["cap_drop"] == ["ALL"]
    assert sandbox["security_opt"] == ["no-new-privileges:true"] and sandbox["network_mode"] == "none"
    assert "/tmp:size=100M,noexec,nosuid,nodev" in sandbox["tmpfs"]
    assert sandbox["ulimits"] == {"nproc": 100, "nofile": {"soft": 1024, "hard": 2048}}
    assert "docker.sock" not in json.dumps(sandbox)
    assert services["ollama"]["profiles"] == ["ollama"]
    # compose v1 prints ports short ("127.0.0.1:11434:11434/tcp"), v2 long ({"host_ip": ...})
    bound = [p.split(":")[0] if isinstance(p, str) else p["host_ip"] for p in services["ollama"]["ports"]]
    assert bound == ["127.0.0.1"]
    assert "victor" in services and services["victor"]["build"]
