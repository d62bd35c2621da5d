"""An MCP server's own container, with the session sandbox's lockdown (lockdown.container_args: read-only
root, no capabilities, no new privileges, the sandbox's limits, the workspace with its read-only places
and masked protected files, a non-root user), and differences that the user's or organisation's file
grants that one server: its `image`, the network (never offline), only its declared `env`, and its
runtime as read-only `mounts` of host directories.

Its own container rather than the session's: the session sandbox kills every process of the sandbox
user after each command, and a server must live across calls. The server is started in it with
`docker exec -i` by the SDK's stdio client; removing the container ends whatever it left behind."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from victor.config.schema import MCPServerConfig, SandboxConfig
from victor.errors import MCPError
from victor.sandbox.lockdown import HOME, WORKDIR, SandboxUser, container_args, prepare_workspace

if TYPE_CHECKING:
    from docker import DockerClient

RESERVED_TARGETS = (WORKDIR, "/proc", "/sys", "/dev", "/tmp", HOME)
DOCKER_CLIENT_ENV = ("DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY")


class ServerContainer:
    """The running container of one stdio MCP server; `exec_command()` starts the server in it."""

    def __init__(self, client: DockerClient, name: str, server: MCPServerConfig, sandbox: SandboxConfig,
                 workspace: Path, *, offline: bool, masked: Sequence[str] = ()) -> None:
        from victor.sandbox.engine import LABEL, pick_runtime
        from victor.sandbox.image import image_present, require_image

        self.name, self.server = name, server
        self.network = server.network and not offline
        self._docker = _docker_cli()
        if server.image and not image_present(client, server.image):
            raise MCPError(f"MCP server '{name}': image {server.image} is not on this machine",
                           hint="build it offline or `docker load` it, or drop `image` to use the sandbox image")
        image = server.image or require_image(client, sandbox)
        self.user: SandboxUser = prepare_workspace(workspace)
        args = container_args(sandbox, workspace, self.user, image=image, network=self.network,
                              runtime=pick_runtime(client, sandbox.runtime), masked=masked)
        args["environment"] = {**server.env, "HOME": HOME, "TMPDIR": "/tmp"}
        args["mounts"] = [*args["mounts"], *_runtime_mounts(name, server)]
        args["labels"] = {**args["labels"], LABEL: "mcp", f"{LABEL}.mcp": name}
        try:
            self._container = client.containers.run(**args)
        except Exception as exc:  # noqa: BLE001 - docker-py raises several types; all mean "cannot start"
            text = str(getattr(exc, "explanation", None) or exc).strip().splitlines()
            raise MCPError(f"MCP server '{name}': could not start its container: {text[0] if text else exc}",
                           hint="check `victor sandbox status` and `victor doctor`") from None

    def exec_command(self) -> tuple[str, list[str], dict[str, str]]:
        """(program, arguments, environment) for the SDK's stdio client: the server's command run as the
        sandbox user in the workspace, its stdin and stdout the MCP stream."""
        env = {key: os.environ[key] for key in DOCKER_CLIENT_ENV if key in os.environ}
        args = ["exec", "-i", f"--user={self.user.spec}", f"--workdir={WORKDIR}", self._container.id,
                *self.server.command]
        return self._docker, args, env

    def describe(self) -> str:
        return f"container {self._container.short_id} ({'network' if self.network else 'no network'})"

    def close(self) -> None:
        try:
            self._container.remove(force=True)
        except Exception:  # noqa: BLE001, S110 - already gone; `victor sandbox prune` sweeps leftovers
            pass


def _runtime_mounts(name: str, server: MCPServerConfig) -> list[Any]:
    """The server's read-only host directories. Sources are resolved here: Docker would follow a symlink."""
    from docker.types import Mount

    mounts = []
    for mount in server.mounts:
        source = Path(mount.source).expanduser().resolve()
        target = mount.target.rstrip("/") or "/"
        if not source.exists():
            raise MCPError(f"MCP server '{name}': mount source {mount.source} does not exist",
                           hint="fix `mounts` in the profile (a directory holding the server's runtime)")
        if target == "/" or any(target == place or target.startswith(place + "/") for place in RESERVED_TARGETS):
            raise MCPError(f"MCP server '{name}': mount target {mount.target} would cover the workspace or a "
                           "system directory", hint="mount the runtime under /opt, e.g. /opt/" + name)
        mounts.append(Mount(target, str(source), type="bind", read_only=True))
    return mounts


def _docker_cli() -> str:
    found = shutil.which("docker")
    if found is None:
        raise MCPError("the docker command-line client is not installed; stdio MCP servers are started with it",
                       hint="install the docker CLI (docker-ce-cli), or remove the server from mcp.servers")
    return found
