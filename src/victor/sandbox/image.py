"""The sandbox image: its content-hashed tag, whether it is present, and how to build it — online from
`sandbox/Dockerfile`, or offline from a debootstrap root filesystem (or a given rootfs tar) loaded with
`docker import` and finished by a local build that never pulls.

Public API (used by `victor doctor`, the air-gap bundle and the test suite):
`image_tag()` the tag Victor uses; `image_present(client, tag)`; `require_image(client, settings)`;
`build_offline(client, rootfs=None, mirror=None, progress=print)`; `build_online(client, progress=print)`;
`tag_for_compose(client, tag)`. Every build also tags the image `victor-sandbox:compose`, the name
`docker-compose.yml` runs, so compose works with no registry after `victor sandbox build --offline`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from victor.config.schema import SandboxConfig
from victor.errors import SandboxError
from victor.sandbox.engine import LABEL

if TYPE_CHECKING:
    from docker import DockerClient

REPOSITORY = "victor-sandbox"
COMPOSE_TAG = "compose"
DEFINITION = ("Dockerfile", "packages.txt", "build-rootfs.sh")
Progress = Callable[[str], None]


def context_dir() -> Path:
    """The build context: `sandbox/` shipped in the package, or at the root of a source checkout."""
    for candidate in (Path(__file__).parent / "assets", Path(__file__).resolve().parents[3] / "sandbox"):
        if (candidate / "Dockerfile").is_file():
            return candidate
    raise SandboxError("the sandbox build files (Dockerfile, packages.txt) are missing from this installation",
                       hint="reinstall victor-agent")


@cache
def image_tag() -> str:
    """`victor-sandbox:<12 hex>`, the hash of the files that define the image."""
    digest = hashlib.sha256()
    for name in DEFINITION:
        digest.update(name.encode() + b"\0" + (context_dir() / name).read_bytes())
    return f"{REPOSITORY}:{digest.hexdigest()[:12]}"


def image_present(client: DockerClient, tag: str) -> bool:
    import docker

    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def require_image(client: DockerClient, settings: SandboxConfig) -> str:
    """The image to run (the profile's, else Victor's own), or SandboxError saying how to get it."""
    tag = settings.image or image_tag()
    if not image_present(client, tag):
        hint = ("run `victor sandbox build --offline` (or `victor sandbox import FILE` on an air-gapped machine)"
                if not settings.image else "load it with `docker load` or `victor sandbox import FILE`")
        raise SandboxError(f"sandbox image {tag} is not on this machine", hint=hint)
    return tag


def build_offline(client: DockerClient, *, rootfs: Path | None = None, mirror: str | None = None,
                  progress: Progress = print) -> str:
    """Build `image_tag()` without a registry: rootfs (debootstrap, or `rootfs`) → import → local build."""
    tag = image_tag()
    with tempfile.TemporaryDirectory(prefix="victor-rootfs-") as scratch:
        if rootfs is None:
            rootfs = Path(scratch) / "rootfs.tar"
            _debootstrap(rootfs, mirror, progress)
        elif not rootfs.is_file():
            raise SandboxError(f"no rootfs tar at {rootfs}", hint="pass a tar of a Debian root filesystem")
        base = f"{REPOSITORY}-base:{tag.split(':')[1]}"
        progress(f"importing {rootfs} as {base}")
        client.api.import_image(src=str(rootfs), repository=base.split(":")[0], tag=base.split(":")[1])
    _build(client, tag, {"BASE": base}, pull=False, progress=progress)
    client.images.remove(base, noprune=True)  # the finished image keeps the layer; drop the extra name
    return tag


def build_online(client: DockerClient, *, progress: Progress = print) -> str:
    """Build `image_tag()` from `sandbox/Dockerfile`, pulling its Debian base from the registry."""
    tag = image_tag()
    _build(client, tag, {}, pull=True, progress=progress)
    return tag


def _debootstrap(out: Path, mirror: str | None, progress: Progress) -> None:
    if os.geteuid() != 0:
        raise SandboxError("building the root filesystem with debootstrap needs root",
                           hint="run `sudo victor sandbox build --offline`, or pass --rootfs TAR")
    script = context_dir() / "build-rootfs.sh"
    args = ["sh", str(script), str(out), str(context_dir() / "packages.txt"), *([mirror] if mirror else [])]
    try:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")})
    except FileNotFoundError:
        raise SandboxError("`sh` is missing", hint="install a POSIX shell") from None
    assert process.stdout is not None
    for line in process.stdout:
        progress(line.rstrip())
    if process.wait() != 0:
        raise SandboxError(f"debootstrap failed (exit {process.returncode}); see the lines above",
                           hint="install debootstrap (`apt-get install debootstrap`) and check the mirror is reachable")


def _build(client: DockerClient, tag: str, buildargs: dict[str, str], *, pull: bool, progress: Progress) -> None:
    progress(f"building {tag}")
    stream = client.api.build(path=str(context_dir()), tag=tag, buildargs=buildargs, pull=pull, rm=True,
                              forcerm=True, labels={LABEL: "image"}, decode=True)
    for event in stream:
        if "error" in event:
            raise SandboxError(f"building {tag} failed: {event['error'].strip()}",
                               hint="check the build output above")
        if event.get("stream", "").strip():
            progress(event["stream"].rstrip())
    tag_for_compose(client, tag)


def tag_for_compose(client: DockerClient, tag: str) -> None:
    """Also name `tag` `victor-sandbox:compose`, the image docker-compose.yml's services run."""
    client.api.tag(tag, REPOSITORY, COMPOSE_TAG)
