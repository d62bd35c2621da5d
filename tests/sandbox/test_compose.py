"""docker-compose.yml offline: after an offline build the `victor-sandbox` service runs Victor's own
image under its tag `victor-sandbox:compose` (no registry, no build), locked down, and goes away on
`down`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def compose(project: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker-compose", "-p", name, "-f", str(project / "docker-compose.yml"), *args],
                          cwd=project, capture_output=True, text=True, timeout=180)


@pytest.mark.docker
def test_compose_sandbox_service_runs_offline_from_the_built_image(sandbox_image: str, tmp_path: Path) -> None:
    from victor.sandbox.engine import connect
    from victor.sandbox.image import COMPOSE_TAG, REPOSITORY

    assert shutil.which("docker-compose"), "docker-compose is needed (apt-get install docker-compose)"
    client = connect()
    assert client.images.get(f"{REPOSITORY}:{COMPOSE_TAG}").id == client.images.get(sandbox_image).id
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "docker-compose.yml", project)
    (project / "hello.txt").write_text("from the workspace\n")
    name = f"victortest{os.getpid()}"
    try:
        up = compose(project, name, "up", "-d", "--no-build", "victor-sandbox")
        assert up.returncode == 0, up.stderr
        ran = compose(project, name, "exec", "-T", "victor-sandbox", "sh", "-c",
                      "id -u; cat /workspace/hello.txt; ls /sys/class/net; touch /etc/x 2>&1 || echo read-only")
        assert ran.returncode == 0, ran.stderr
        lines = ran.stdout.splitlines()
        assert lines[0] == "1000" and "from the workspace" in lines
        assert "lo" in lines and not any(line.startswith(("eth", "en")) for line in lines)
        assert lines[-1] == "read-only"
    finally:
        down = compose(project, name, "down", "--remove-orphans", "-t", "1")
    assert down.returncode == 0, down.stderr
    assert not client.containers.list(all=True, filters={"label": f"com.docker.compose.project={name}"})
