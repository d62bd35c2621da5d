"""How the sandbox container is locked down: the docker-py `containers.run` arguments built from the
profile's SandboxConfig (the seed's values are its defaults), the non-root user, the environment
allowlist, and the workspace's mounts (mounts.py: read-only git metadata and `.victor/`, masked
protected files)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from victor.config.schema import SandboxConfig
from victor.sandbox.acl import grant_workspace
from victor.sandbox.engine import LABEL
from victor.sandbox.mounts import WORKDIR, ensure_project_dir, workspace_mounts

__all__ = ["WORKDIR", "SandboxUser", "container_args", "prepare_workspace", "sandbox_env", "sandbox_user"]

HOME = "/home/sandbox"
UID_FOR_ROOT = 1000  # the image's `sandbox` user, used when Victor itself runs as root
# The container's init and keep-alive process run as `nobody`, so the sandbox user can neither kill
# them (`kill -9 -1` after each command, or an attacker's `kill -9 1`) nor stop the container.
KEEPER_USER = "65534:65534"
SHM_SIZE = "64m"


@dataclass(frozen=True)
class SandboxUser:
    uid: int
    gid: int

    @property
    def spec(self) -> str:
        return f"{self.uid}:{self.gid}"


def prepare_workspace(workspace: Path) -> SandboxUser:
    """Make the workspace ready for a container: `.victor/` exists (to be mounted read-only), and the
    sandbox user may write the rest. Returns that user."""
    ensure_project_dir(workspace)
    return sandbox_user(workspace)


def sandbox_user(workspace: Path) -> SandboxUser:
    """The invoking user, so workspace files keep their owner. Never root: under root, the workspace's
    owner when that is not root, else the image's unprivileged `sandbox` user."""
    if os.getuid() != 0:
        return SandboxUser(os.getuid(), os.getgid())
    owner = workspace.stat()
    if owner.st_uid != 0:
        return SandboxUser(owner.st_uid, owner.st_gid)
    grant_workspace(workspace, UID_FOR_ROOT)
    return SandboxUser(UID_FOR_ROOT, UID_FOR_ROOT)


def sandbox_env(settings: SandboxConfig) -> dict[str, str]:
    """Only allowlisted host variables, plus the sandbox's own HOME and TMPDIR."""
    forwarded = {name: os.environ[name] for name in settings.env_allowlist if name in os.environ}
    return {**forwarded, "HOME": HOME, "TMPDIR": "/tmp"}


def container_args(settings: SandboxConfig, workspace: Path, user: SandboxUser, *, image: str,
                   network: bool, runtime: str | None, masked: Sequence[str] = ()) -> dict[str, Any]:
    """Keyword arguments for `client.containers.run`: one warm, locked-down container per session;
    `masked` names the workspace files it must not see."""
    from docker.types import Ulimit

    no_exec = "noexec,nosuid,nodev"
    return {
        "image": image,
        "command": ["sleep", "infinity"],
        "detach": True,
        "init": True,
        "user": KEEPER_USER,
        "working_dir": WORKDIR,
        "hostname": "sandbox",
        "environment": sandbox_env(settings),
        "read_only": True,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
        "pids_limit": settings.pids_limit,
        "mem_limit": settings.memory,
        "memswap_limit": settings.memory,  # no swap on top of the memory limit
        "nano_cpus": int(settings.cpus * 1e9),
        "shm_size": SHM_SIZE,
        "tmpfs": {
            "/tmp": f"size={settings.tmp_size},{no_exec}",
            HOME: f"size={settings.tmp_size},{no_exec},uid={user.uid},gid={user.gid},mode=0700",
        },
        "ulimits": [
            Ulimit(name="nofile", soft=settings.nofile_soft, hard=settings.nofile_hard),
            Ulimit(name="fsize", soft=settings.fsize_bytes, hard=settings.fsize_bytes),
        ],
        "network_mode": "bridge" if network else "none",
        "ipc_mode": "private",
        "mounts": workspace_mounts(workspace, masked),
        "labels": {LABEL: "session", f"{LABEL}.workspace": str(workspace), f"{LABEL}.pid": str(os.getpid())},
        "runtime": runtime,
    }
