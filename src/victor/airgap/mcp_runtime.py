"""What the configured MCP servers need on the air-gapped machine, carried by the bundle.

A server that names its own `image` has it saved next to the sandbox image (`image/mcp-<tag>.tar`) and
loaded by `airgap install`. Each read-only host directory a server mounts is copied into the bundle
(`mcp/<server>/<n>/`), installed as `$VICTOR_HOME/mcp/<server>/<n>/`, and the bundled profile mounts it
from there. The bundled entry keeps `${VAR}` references of `env` as written, never their values.

`plan()` checks everything before the slow work and refuses, naming the server, what cannot be carried:
an image that is not on this machine, a mount that is missing or holds the home directory, a symbolic
link that leads out of its directory (or to a directory), anything but plain files and directories,
and an entry that would carry a secret."""

from __future__ import annotations

import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import Progress

from victor import paths
from victor.airgap import IMAGE
from victor.airgap.image import load_image, save_image
from victor.airgap.progress import byte_task
from victor.config.schema import Config
from victor.errors import UsageError

MCP = "mcp"
INSTALLED_HOME = "${VICTOR_HOME:-~/.victor}/" + MCP
UNSAFE_HINT = ("pack a directory of plain files (e.g. a venv's site-packages, with PYTHONPATH), or disable the "
               "server (`enabled: false`) before packing")


@dataclass
class Carried:
    """The servers' entries for the bundled profile, and what to copy into the bundle."""

    servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)  # image tag -> bundle file
    trees: dict[str, Path] = field(default_factory=dict)  # bundle directory -> host directory


def plan(config: Config) -> Carried:
    """What the enabled MCP servers of `config` need; UsageError for what cannot be carried."""
    from victor.sandbox.engine import connect
    from victor.sandbox.image import image_present

    carried = Carried()
    written = _written_env()
    for name, server in config.mcp.servers.items():
        if not server.enabled:
            continue
        entry = server.model_dump(exclude_defaults=True, exclude={"mounts", "env"})
        if server.env:
            entry["env"] = {key: written.get(name, {}).get(key, value) for key, value in server.env.items()}
        if server.image:
            if not image_present(connect(), server.image):
                raise UsageError(f"MCP server '{name}': image {server.image} is not on this machine",
                                 hint="build or pull it before packing, or disable the server")
            carried.images[server.image] = f"{IMAGE}/mcp-{re.sub(r'[^A-Za-z0-9_.-]+', '-', server.image)}.tar"
        mounts = []
        for index, mount in enumerate(server.mounts):
            source = _checked_tree(name, Path(mount.source).expanduser())
            carried.trees[f"{MCP}/{name}/{index}"] = source
            mounts.append({"source": f"{INSTALLED_HOME}/{name}/{index}", "target": mount.target})
        if mounts:
            entry["mounts"] = mounts
        _refuse_secrets(name, entry)
        carried.servers[name] = entry
    return carried


def carry(progress: Progress, bundle: Path, carried: Carried) -> None:
    """Save the servers' images and copy their directories into `bundle`."""
    for tag, file in carried.images.items():
        save_image(progress, tag, bundle / file)
    for relative, source in carried.trees.items():
        copy_tree(progress, source, bundle / relative, f"mcp: {relative.removeprefix(MCP + '/')}")


def load_images(progress: Progress, bundle: Path, images: dict[str, str]) -> None:
    """`docker load` the servers' images the bundle carries."""
    for tag, file in images.items():
        load_image(progress, bundle / file, tag)


def stage_trees(progress: Progress, bundle: Path, staging: Path) -> list[Path]:
    """Copy the bundle's server directories into `staging`; their paths relative to it (mcp/<server>)."""
    if not (bundle / MCP).is_dir():
        return []
    copy_tree(progress, bundle / MCP, staging / MCP, "placing MCP servers' files")
    return [path.relative_to(staging) for path in sorted((staging / MCP).iterdir())]


def place_trees(staging: Path, trees: list[Path], home: Path) -> list[Path]:
    """Move the staged server directories into `home`, each replacing the one an earlier install left."""
    for relative in trees:
        target = home / relative
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
    return [home / relative for relative in trees]


def copy_tree(progress: Progress, source: Path, target: Path, description: str) -> None:
    """Copy the plain files below `source` (a link inside it as the file it names), one bar for all."""
    files = [path for path in sorted(source.rglob("*")) if not path.is_dir()]
    task = byte_task(progress, description, sum(path.stat().st_size for path in files))
    for path in files:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        progress.advance(task, destination.stat().st_size)


def _checked_tree(server: str, source: Path) -> Path:
    """`source`, resolved, when every entry below it can travel as a plain file."""
    where = f"MCP server '{server}': mount {source}"
    if not source.is_dir():
        raise UsageError(f"{where} is not a directory", hint="fix `mounts` in the profile, or disable the server")
    root = source.resolve()
    if any(place.is_relative_to(root) for place in (Path.home().resolve(), paths.victor_home().resolve())):
        raise UsageError(f"{where} holds your home directory or Victor's; packing it would copy all of it",
                         hint="mount only the server's runtime (a venv's site-packages, a node_modules)")
    for path in root.rglob("*"):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            target = Path(os.path.realpath(path))
            if not target.is_file() or not target.is_relative_to(root):
                shown = os.readlink(path)
                raise UsageError(f"{where} holds a symbolic link {path.relative_to(root)} -> {shown} that leads "
                                 "out of it or to a directory; a bundle carries plain files only", hint=UNSAFE_HINT)
        elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise UsageError(f"{where} holds {path.relative_to(root)}, which is not a plain file", hint=UNSAFE_HINT)
    return root


def _written_env() -> dict[str, dict[str, str]]:
    """Each server's `env` as the organisation's and the user's files write it (`${VAR}` not expanded)."""
    from victor.config.yaml_source import load_yaml_file

    written: dict[str, dict[str, str]] = {}
    for file in (paths.org_config_file(), paths.user_config_file()):
        if file.is_file():
            servers = ((load_yaml_file(file).data or {}).get("mcp") or {}).get("servers") or {}
            for name, entry in servers.items():
                if isinstance(entry, dict) and isinstance(entry.get("env"), dict):
                    written.setdefault(name, {}).update(entry["env"])
    return written


def _refuse_secrets(server: str, entry: dict[str, Any]) -> None:
    import yaml

    from victor.secrets import scan_text

    found = scan_text(yaml.safe_dump({server: entry}), path="profiles.yaml")
    if found:
        raise UsageError(f"MCP server '{server}': its profile entry holds a secret ({found[0].rule}), which "
                         "the bundle would carry in plain text",
                         hint="write it as a ${VAR} reference in your profile and set VAR on the air-gapped machine")
