"""The sandbox image in the bundle: `docker save` of Victor's image on the connected machine,
`docker load` on the air-gapped one, both through docker-py with a progress bar."""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress

from victor.airgap.progress import byte_task
from victor.errors import SandboxError

SAVE_CHUNK = 1 << 20


def sandbox_image_tag() -> str:
    """The tag of Victor's sandbox image, which must be built already (`victor sandbox build`)."""
    from victor.config.schema import SandboxConfig
    from victor.sandbox.engine import connect
    from victor.sandbox.image import require_image

    return require_image(connect(), SandboxConfig())


def save_image(progress: Progress, tag: str, target: Path) -> None:
    """`docker save` the image `tag` to `target`."""
    from victor.sandbox.engine import connect

    image = connect().images.get(tag)
    task = byte_task(progress, f"image: saving {tag}", image.attrs.get("Size"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in image.save(chunk_size=SAVE_CHUNK, named=True):
            handle.write(chunk)
            progress.advance(task, len(chunk))
    progress.update(task, total=target.stat().st_size, completed=target.stat().st_size)


def load_image(progress: Progress, archive: Path, tag: str) -> None:
    """`docker load` the saved image and check that `tag` is now present."""
    from victor.sandbox.engine import connect
    from victor.sandbox.image import image_present

    client = connect()
    task = byte_task(progress, f"image: loading {tag}", archive.stat().st_size)
    with archive.open("rb") as handle:
        client.images.load(handle)
    progress.update(task, completed=archive.stat().st_size)
    if not image_present(client, tag):
        raise SandboxError(f"{archive} loaded, but it did not contain the image {tag}",
                           hint="pack the bundle again on the connected machine")
