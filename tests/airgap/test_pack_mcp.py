"""What `victor airgap pack` carries for the configured MCP servers, and `airgap install` puts back: a
server's own image (a small one built here, FROM scratch) saved into the bundle and loaded again once
removed; a mounted directory copied (modes kept, a link inside it as the file it names), installed in
$VICTOR_HOME/mcp and mounted from there by the bundled profile; `${VAR}` references kept, never their
values. What cannot be carried is refused, naming the server, before any slow work."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
import yaml

from tests.routing.conftest import fake_github_pat
from victor.airgap.manifest import bundle_files
from victor.airgap.mcp_runtime import carry, load_images, place_trees, plan, stage_trees
from victor.airgap.profile import render_profile
from victor.airgap.progress import progress_bars
from victor.config import load_config
from victor.errors import UsageError

TAG = "victor-test-mcp-runtime:tiny"
IMAGE_FILE = "image/mcp-victor-test-mcp-runtime-tiny.tar"


@pytest.fixture
def tiny_image() -> str:
    import docker

    from victor.sandbox.engine import connect

    client = connect()
    with tempfile.TemporaryDirectory() as context:
        Path(context, "Dockerfile").write_text("FROM scratch\nCOPY server.txt /server.txt\n")
        Path(context, "server.txt").write_text("a tiny MCP server image\n")
        client.images.build(path=context, tag=TAG, rm=True)
    yield TAG
    with contextlib.suppress(docker.errors.ImageNotFound):
        client.images.remove(TAG, force=True)


@pytest.fixture
def runtime(tmp_path: Path) -> Path:
    """A server's runtime directory: an executable, a package, and a link to a file inside it."""
    root = tmp_path / "runtime"
    (root / "lib" / "pkg").mkdir(parents=True)
    (root / "lib" / "pkg" / "__init__.py").write_text("VERSION = 1\n")
    (root / "bin").mkdir()
    (root / "bin" / "serve").write_text("#!/bin/sh\necho serving\n")
    (root / "bin" / "serve").chmod(0o755)
    (root / "bin" / "current").symlink_to("serve")
    return root


def configure(victor_home: Path, servers: dict) -> None:
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump({"mcp": {"servers": servers}}))


@pytest.mark.docker
def test_the_servers_image_and_directories_travel_and_come_back(victor_home: Path, tmp_path: Path, tiny_image: str,
                                                                runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from victor.sandbox.engine import connect
    from victor.sandbox.image import image_present

    token = fake_github_pat(7)
    monkeypatch.setenv("NOTES_TOKEN", token)
    configure(victor_home, {
        "tiny": {"command": ["/server"], "image": TAG},
        "notes": {"command": ["/opt/runtime/bin/serve"], "env": {"TOKEN": "${NOTES_TOKEN}", "MODE": "ro"},
                  "mounts": [{"source": str(runtime), "target": "/opt/runtime"}], "timeout_s": 10},
        "off": {"enabled": False, "command": ["x"], "mounts": [{"source": "/no/such/dir", "target": "/opt/x"}]}})
    carried = plan(load_config().config)
    bundle = tmp_path / "bundle"
    with progress_bars() as progress:
        carry(progress, bundle, carried)
    assert bundle_files(bundle) == [IMAGE_FILE, "mcp/notes/0/bin/current", "mcp/notes/0/bin/serve",
                                    "mcp/notes/0/lib/pkg/__init__.py"]
    copied = bundle / "mcp/notes/0/bin"
    assert not (copied / "current").is_symlink() and (copied / "current").read_text() == "#!/bin/sh\necho serving\n"
    assert os.access(copied / "serve", os.X_OK)
    profile = render_profile(["coder.gguf"], [], "victor-sandbox:test", carried.servers)
    assert token not in profile
    assert yaml.safe_load(profile)["mcp"]["servers"] == {
        "tiny": {"command": ["/server"], "image": TAG},
        "notes": {"command": ["/opt/runtime/bin/serve"], "env": {"TOKEN": "${NOTES_TOKEN}", "MODE": "ro"},
                  "mounts": [{"source": "${VICTOR_HOME:-~/.victor}/mcp/notes/0", "target": "/opt/runtime"}],
                  "timeout_s": 10.0}}

    client = connect()  # the air-gapped machine: the image is not there, VICTOR_HOME is new
    client.images.remove(TAG, force=True)
    home = tmp_path / "airgapped-home"
    monkeypatch.setenv("VICTOR_HOME", str(home))
    staging = home / ".staging"
    with progress_bars() as progress:
        trees = stage_trees(progress, bundle, staging)
        load_images(progress, bundle, carried.images)
    assert place_trees(staging, trees, home) == [home / "mcp/notes"]
    assert image_present(client, TAG)
    (home / "profiles.yaml").write_text(profile)
    [mount] = load_config().config.mcp.servers["notes"].mounts
    assert mount.source == f"{home}/mcp/notes/0"
    assert (Path(mount.source) / "lib/pkg/__init__.py").read_text() == "VERSION = 1\n"
    assert os.access(Path(mount.source) / "bin/serve", os.X_OK)


def test_what_cannot_be_carried_is_refused_naming_the_server(victor_home: Path, runtime: Path,
                                                             tmp_path: Path) -> None:
    (runtime / "bin" / "python").symlink_to("/usr/bin/python3")
    cases = [
        ({"mounts": [{"source": str(runtime), "target": "/opt/rt"}]},
         f"MCP server 'rt': mount {runtime} holds a symbolic link bin/python -> /usr/bin/python3 that leads out of "
         "it or to a directory; a bundle carries plain files only"),
        ({"mounts": [{"source": str(victor_home.parent), "target": "/opt/rt"}]},
         f"MCP server 'rt': mount {victor_home.parent} holds your home directory or Victor's"),
        ({"mounts": [{"source": str(tmp_path / "gone"), "target": "/opt/rt"}]},
         f"MCP server 'rt': mount {tmp_path / 'gone'} is not a directory"),
        ({"env": {"TOKEN": fake_github_pat(3)}}, "MCP server 'rt': its profile entry holds a secret (github-pat)"),
    ]
    for settings, message in cases:
        configure(victor_home, {"rt": {"command": ["/opt/rt/bin/serve"], **settings}})
        with pytest.raises(UsageError) as refused:
            plan(load_config().config)
        assert refused.value.message.startswith(message), refused.value.message


def test_pack_refuses_before_the_slow_work(victor, victor_home: Path, runtime: Path, tmp_path: Path) -> None:
    (runtime / "bin" / "python").symlink_to("/usr/bin/python3")
    configure(victor_home, {"rt": {"command": ["/opt/rt/bin/serve"],
                                   "mounts": [{"source": str(runtime), "target": "/opt/rt"}]}})
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF" + bytes(16))
    done = victor("airgap", "pack", str(tmp_path / "out"), "--model", str(gguf))
    assert done.returncode == 2
    assert done.stderr.startswith(f"victor: error: MCP server 'rt': mount {runtime} holds a symbolic link bin/python")
    assert "hint: pack a directory of plain files" in done.stderr
    assert not (tmp_path / "out").exists()
