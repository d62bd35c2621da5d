"""Sandbox housekeeping behind `victor sandbox prune | export | import`: sweeping containers left by
Victor processes that are gone, images of older definitions, and carrying the image as a tar."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from victor.config.schema import SandboxConfig
from victor.errors import SandboxError
from victor.sandbox.engine import LABEL
from victor.sandbox.image import REPOSITORY, image_tag, require_image

if TYPE_CHECKING:
    from docker import DockerClient


def prune_containers(client: DockerClient) -> int:
    """Remove Victor's sandbox containers whose owning Victor process no longer runs."""
    removed = 0
    for container in client.containers.list(all=True, filters={"label": LABEL}):
        owner = container.labels.get(f"{LABEL}.pid", "")
        if owner.isdigit() and _alive(int(owner)):
            continue
        container.remove(force=True)
        removed += 1
    return removed


def prune_images(client: DockerClient) -> int:
    """Remove `victor-sandbox` images other than the current definition's, unless a container uses them."""
    import docker

    current, removed = image_tag(), 0
    for image in client.images.list(name=REPOSITORY):
        if current in image.tags or not image.id:
            continue
        try:
            client.images.remove(image.id)
        except docker.errors.APIError:
            continue  # still used by a container
        removed += 1
    return removed


def export_image(client: DockerClient, settings: SandboxConfig, file: Path) -> str:
    tag = require_image(client, settings)
    try:
        with file.open("wb") as sink:
            for chunk in client.images.get(tag).save(named=True):
                sink.write(chunk)
    except OSError as exc:
        raise SandboxError(f"cannot write {file}: {exc.strerror}", hint="choose a writable path") from None
    return tag


def import_image(client: DockerClient, file: Path) -> list[str]:
    import docker

    try:
        with file.open("rb") as source:
            images = client.images.load(source)
    except OSError as exc:
        raise SandboxError(f"cannot read {file}: {exc.strerror}", hint="pass a tar from `victor sandbox export`") from None
    except (docker.errors.APIError, docker.errors.ImageLoadError) as exc:
        reason = getattr(exc, "explanation", None) or str(exc)
        raise SandboxError(f"{file} is not a Docker image tar ({reason.strip()})",
                           hint="pass a tar from `victor sandbox export`") from None
    return [tag for image in images for tag in image.tags]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
