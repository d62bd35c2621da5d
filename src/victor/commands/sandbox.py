"""`victor sandbox build | status | shell | prune | export | import`: the sandbox image and containers.
docker-py is imported only inside the commands (via victor.sandbox)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from victor.config.schema import SandboxConfig


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Build, inspect and carry the locked-down sandbox the agent's commands run in.",
                        no_args_is_help=True)
    group.command("build")(build)
    group.command("status")(status)
    group.command("shell")(shell)
    group.command("prune")(prune)
    group.command("export")(export_image)
    group.command("import")(import_image)
    app.add_typer(group, name="sandbox")


def build(
    offline: bool = typer.Option(False, "--offline", help="No registry: debootstrap a rootfs, docker import it."),
    rootfs: Path | None = typer.Option(None, "--rootfs",
                                       help="Use this rootfs tar instead of debootstrap (implies --offline)."),
    mirror: str | None = typer.Option(None, "--mirror", help="Debian mirror for debootstrap (default deb.debian.org)."),
) -> None:
    """Build the sandbox image (tag carries a hash of its definition); progress goes to stderr."""
    import time

    from victor.sandbox.engine import connect
    from victor.sandbox.image import build_offline, build_online
    from victor.ui.output import err, out

    client = connect()
    started = time.monotonic()
    show = lambda line: err().print(line, markup=False)  # noqa: E731
    if offline or rootfs is not None:
        tag = build_offline(client, rootfs=rootfs, mirror=mirror, progress=show)
    else:
        tag = build_online(client, progress=show)
    out().print(f"built {tag} in {time.monotonic() - started:.0f} s")


def status() -> None:
    """The Docker engine, the sandbox image and runtime, and running sandbox containers."""
    from victor.sandbox.engine import LABEL, connect, pick_runtime
    from victor.sandbox.image import image_present, image_tag
    from victor.ui.output import out

    client = connect()
    settings = _settings()
    tag = settings.image or image_tag()
    present = image_present(client, tag)
    running = client.containers.list(filters={"label": LABEL})
    out().print(f"engine   Docker {client.version().get('Version', '?')}")
    out().print(f"image    {tag} ({'present' if present else 'missing: run `victor sandbox build --offline`'})")
    out().print(f"runtime  {pick_runtime(client, settings.runtime) or 'runc'}")
    out().print(f"network  {'allowed by the profile (never offline)' if settings.network else 'none'}")
    out().print(f"limits   memory {settings.memory}, {settings.cpus:g} CPUs, {settings.pids_limit} pids, "
                f"timeout {settings.timeout_s:g} s")
    out().print(f"running  {len(running)} sandbox container(s)")
    if not present:
        raise typer.Exit(1)


def shell() -> None:
    """An interactive bash in this workspace's sandbox, with the same lockdown as the agent's."""
    import shutil
    import subprocess
    import sys

    from victor.errors import SandboxError
    from victor.paths import find_repo_root
    from victor.sandbox.docker_backend import DockerSandbox
    from victor.sandbox.factory import open_sandbox
    from victor.ui.output import warn

    docker_cli = shutil.which("docker")
    if docker_cli is None:
        raise SandboxError("`victor sandbox shell` needs the docker command-line client", hint="install docker-cli")
    settings = _settings()
    if settings.backend == "none":
        raise SandboxError("the sandbox is off (backend: none)", hint="set `sandbox: {backend: docker}`")
    sandbox = open_sandbox(settings, find_repo_root(), offline=False, notify=warn)
    assert isinstance(sandbox, DockerSandbox)  # backend docker and no audit log: the container itself
    try:
        interactive = ["-it"] if sys.stdin.isatty() else ["-i"]
        subprocess.run([docker_cli, "exec", *interactive, *sandbox.shell_args(), "bash"], check=False)
    finally:
        sandbox.close()


def prune() -> None:
    """Remove sandbox containers whose Victor process is gone, and sandbox images of older definitions."""
    from victor.sandbox.engine import connect
    from victor.sandbox.housekeeping import prune_containers, prune_images
    from victor.ui.output import out

    client = connect()
    containers, images = prune_containers(client), prune_images(client)
    out().print(f"removed {containers} container(s) and {images} image(s)")


def export_image(file: Path = typer.Argument(..., help="Where to write the image tar.")) -> None:
    """Save the sandbox image to FILE, to carry to an air-gapped machine."""
    from victor.sandbox.engine import connect
    from victor.sandbox.housekeeping import export_image as save
    from victor.ui.output import out

    tag = save(connect(), _settings(), file)
    out().print(f"wrote {tag} to {file} ({file.stat().st_size / 1e6:.0f} MB)")


def import_image(file: Path = typer.Argument(..., help="An image tar from `victor sandbox export`.")) -> None:
    """Load a sandbox image tar written by `victor sandbox export`."""
    from victor.sandbox.engine import connect
    from victor.sandbox.housekeeping import import_image as load
    from victor.ui.output import out

    tags = load(connect(), file)
    out().print(f"loaded {', '.join(tags)}")


def _settings() -> SandboxConfig:
    from victor.config import load_config
    from victor.paths import find_repo_root

    return load_config(find_repo_root()).config.sandbox
