"""The connection to the Docker engine: one clear error when it is not there, and which isolating
runtime it offers (gVisor's `runsc` when installed). docker-py is imported here, never at module level
elsewhere, so commands that do not touch the sandbox do not pay for it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from victor.errors import SandboxError

if TYPE_CHECKING:
    from docker import DockerClient

LABEL = "dev.victor.sandbox"  # every container and image Victor makes carries it, for `sandbox prune`
API_TIMEOUT_S = 60
UNSANDBOXED_HINT = "set `sandbox: {backend: none}` in ~/.victor/profiles.yaml to run unsandboxed (not recommended)"


def connect() -> DockerClient:
    """A docker-py client, or SandboxError saying how to get one."""
    import docker

    where = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    try:
        client = docker.from_env(timeout=API_TIMEOUT_S)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure here means "no engine"
        raise SandboxError(
            f"Docker engine not reachable at {where} ({type(exc).__name__})",
            hint=f"start Docker, or {UNSANDBOXED_HINT}",
        ) from None
    return client


def pick_runtime(client: DockerClient, wanted: str | None) -> str | None:
    """The runtime to start containers with: the profile's, else `runsc` when the engine has it."""
    runtimes = client.info().get("Runtimes", {})
    if wanted:
        if wanted not in runtimes:
            raise SandboxError(
                f"the Docker engine has no runtime '{wanted}' (it has: {', '.join(sorted(runtimes))})",
                hint="install it, or remove `sandbox.runtime` from the profile",
            )
        return wanted
    return "runsc" if "runsc" in runtimes else None
