"""Running as root on a root-owned workspace: POSIX ACLs let the sandbox's unprivileged uid write the
workspace, leaving every owner and mode as it was, but only read the read-only places (readonly.py:
git metadata, `.victor/`, Victor's state), where a write entry left by an older Victor is replaced."""

from __future__ import annotations

import subprocess
from pathlib import Path

from victor.errors import SandboxError
from victor.sandbox.hostpath import find_program
from victor.sandbox.readonly import read_only_paths


def grant_workspace(workspace: Path, uid: int) -> None:
    """Give `uid` read-write access (access and default ACL entries) to `workspace`, and read-only
    access to its read-only places."""
    setfacl, getfacl = _tool("setfacl", workspace), _tool("getfacl", workspace)
    protected = [path for path in read_only_paths(workspace) if path.exists() or path.is_symlink()]
    if f"user:{uid}:rwx" not in _acl(getfacl, workspace):
        rule = f"u:{uid}:rwX,d:u:{uid}:rwX"
        _setfacl(setfacl, workspace, ["-m", rule, str(workspace)])
        children = [str(path) for path in workspace.iterdir() if path not in protected]
        if children:
            _setfacl(setfacl, workspace, ["-R", "-P", "-m", rule, *children])
    for path in protected:
        if f"user:{uid}:r-x" not in _acl(getfacl, path):
            _setfacl(setfacl, workspace, ["-R", "-P", "-m", f"u:{uid}:rX,d:u:{uid}:rX", str(path)])


def _tool(name: str, workspace: Path) -> str:
    found = find_program(name, workspace)
    if found is None:
        raise SandboxError(f"running as root on a root-owned workspace needs `{name}` to let the sandbox user write",
                           hint="install the `acl` package, or run victor as a normal user")
    return found


def _acl(getfacl: str, path: Path) -> str:
    """`getfacl` of `path` with numeric ids (a uid may have a name on this host)."""
    return subprocess.run([getfacl, "-n", "-p", str(path)], capture_output=True, text=True).stdout


def _setfacl(setfacl: str, workspace: Path, args: list[str]) -> None:
    result = subprocess.run([setfacl, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SandboxError(f"could not set the sandbox user's access to {workspace}: {result.stderr.strip()}",
                           hint="the workspace's file system must support POSIX ACLs, or run victor as a normal user")
