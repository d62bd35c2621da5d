"""How the sandbox container is locked down: the docker-py `containers.run` arguments built from the
profile's SandboxConfig (the seed's values are its defaults), the non-root user, the environment
allowlist, and the workspace and `.git` bind mounts (after an lstat check: Docker follows symlinks in
bind sources, so a `.git` that is a symlink could expose any host directory)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from victor.config.schema import SandboxConfig
from victor.errors import SandboxError
from victor.sandbox.engine import LABEL

WORKDIR = "/workspace"
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


def grant_workspace(workspace: Path, uid: int) -> None:
    """Let `uid` write a root-owned workspace through POSIX ACLs (access + default), leaving every file's
    owner and mode as they were; `.git` is skipped (it is mounted read-only anyway)."""
    if f"user:{uid}:rwx" in _getfacl(workspace):
        return
    setfacl = shutil.which("setfacl")
    if setfacl is None:
        raise SandboxError("running as root on a root-owned workspace needs `setfacl` to let the sandbox user write",
                           hint="install the `acl` package, or run victor as a normal user")
    entries = [str(workspace), *(str(path) for path in workspace.iterdir() if path.name != ".git")]
    rule = f"u:{uid}:rwX,d:u:{uid}:rwX"
    result = subprocess.run([setfacl, "-R", "-P", "-m", rule, *entries], capture_output=True, text=True)
    if result.returncode != 0:
        raise SandboxError(f"could not grant the sandbox user access to {workspace}: {result.stderr.strip()}",
                           hint="the workspace's file system must support POSIX ACLs, or run victor as a normal user")


def _getfacl(path: Path) -> str:
    getfacl = shutil.which("getfacl")
    if getfacl is None:
        return ""
    return subprocess.run([getfacl, "-p", str(path)], capture_output=True, text=True).stdout


def sandbox_env(settings: SandboxConfig) -> dict[str, str]:
    """Only allowlisted host variables, plus the sandbox's own HOME and TMPDIR."""
    forwarded = {name: os.environ[name] for name in settings.env_allowlist if name in os.environ}
    return {**forwarded, "HOME": HOME, "TMPDIR": "/tmp"}


def workspace_mounts(workspace: Path) -> list[Any]:
    """The workspace read-write and, when present and not a symlink, `.git` read-only over it."""
    from docker.types import Mount

    mounts = [Mount(WORKDIR, str(workspace), type="bind", read_only=False)]
    git = workspace / ".git"
    try:
        mode = git.lstat().st_mode
    except FileNotFoundError:
        return mounts
    if stat.S_ISLNK(mode):
        raise SandboxError(f"{git} is a symlink (to {os.readlink(git)}); refusing to mount it into the sandbox",
                           hint="Docker follows symlinks in bind mounts: replace it with the real .git directory")
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise SandboxError(f"{git} is neither a directory nor a file", hint="remove it or restore the repository")
    mounts.append(Mount(f"{WORKDIR}/.git", str(git), type="bind", read_only=True))
    return mounts


def container_args(settings: SandboxConfig, workspace: Path, user: SandboxUser, *, image: str,
                   network: bool, runtime: str | None) -> dict[str, Any]:
    """Keyword arguments for `client.containers.run`: one warm, locked-down container per session."""
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
        "mounts": workspace_mounts(workspace),
        "labels": {LABEL: "session", f"{LABEL}.workspace": str(workspace), f"{LABEL}.pid": str(os.getpid())},
        "runtime": runtime,
    }
