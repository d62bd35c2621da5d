"""`victor airgap install BUNDLE`: verify every file, then install wheels, images, models, the MCP
servers' directories and the profile.

Nothing in VICTOR_HOME changes until the whole bundle has verified and the profile has validated.
Models are staged under VICTOR_HOME and renamed into place last, together with the profile, so a
failure part-way leaves the previous installation as it was.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress

from victor import paths
from victor.airgap import MODELS, OLLAMA, PROFILE, REQUIREMENTS, WHEELS
from victor.airgap.description import BundleDescription
from victor.airgap.image import load_image
from victor.airgap.manifest import check_complete, read_manifest, total_bytes, verify_bundle
from victor.airgap.mcp_runtime import load_images, place_trees, stage_trees
from victor.airgap.progress import byte_task, copy_file, progress_bars
from victor.airgap.wheelhouse import install_wheels
from victor.errors import UsageError

OLLAMA_HOME = Path(OLLAMA) / "models"


@dataclass
class InstallResult:
    profile_file: Path
    models: list[Path]
    image_tag: str


def install(source: Path) -> InstallResult:
    """Install from a bundle directory, or from a tar made by `victor airgap pack OUT.tar`."""
    if not source.exists():
        raise UsageError(f"no bundle at {source}", hint="pass the directory (or .tar) `victor airgap pack` made")
    home = paths.victor_home()
    with progress_bars() as progress, _unpacked(progress, source, home) as bundle:
        _verify(progress, bundle)
        description = BundleDescription.read(bundle)
        _validate_profile(bundle)
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".airgap-staging-", dir=home) as staging:
            staged = _stage_models(progress, bundle, Path(staging))
            trees = stage_trees(progress, bundle, Path(staging))
            install_wheels(bundle / WHEELS, _requirements(bundle), progress)
            load_image(progress, bundle / description.image_file, description.image_tag)
            load_images(progress, bundle, description.mcp_images)
            placed = _commit(Path(staging), staged, home) + place_trees(Path(staging), trees, home)
        profile_file = _write_profile(bundle)
    return InstallResult(profile_file, placed, description.image_tag)


@contextmanager
def _unpacked(progress: Progress, source: Path, home: Path) -> Iterator[Path]:
    """The bundle directory: `source` itself, or a tar of it extracted into a scratch directory."""
    if source.is_dir():
        yield source
        return
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".airgap-unpack-", dir=home) as scratch:
        task = byte_task(progress, f"unpacking {source.name}", source.stat().st_size)
        try:
            with tarfile.open(source) as archive:
                archive.extractall(scratch, filter="data")
        except (tarfile.TarError, OSError) as exc:
            reason = str(exc).splitlines()[0].rstrip(":") or type(exc).__name__
            raise UsageError(f"{source} is not a readable bundle tar ({reason})", hint="copy it again") from None
        progress.update(task, completed=source.stat().st_size)
        tops = list(Path(scratch).iterdir())
        if len(tops) != 1 or not tops[0].is_dir():
            raise UsageError(f"{source} does not hold one bundle directory",
                             hint="pack it with `victor airgap pack OUT.tar`")
        yield tops[0]


def _verify(progress: Progress, bundle: Path) -> None:
    expected = read_manifest(bundle)
    check_complete(bundle, expected)
    task = byte_task(progress, "verifying SHA-256", total_bytes(bundle, list(expected)))
    verify_bundle(bundle, lambda count: progress.advance(task, count))


def _validate_profile(bundle: Path) -> None:
    """Load the bundle's profile exactly as the installed file will be loaded; errors name the file."""
    from victor.config import load_config

    load_config(extra_files=[bundle / PROFILE])


def _requirements(bundle: Path) -> list[str]:
    return [line.strip() for line in (bundle / REQUIREMENTS).read_text(encoding="utf-8").splitlines() if line.strip()]


def _stage_models(progress: Progress, bundle: Path, staging: Path) -> list[Path]:
    """Copy models/ and ollama/ into `staging`; return the staged paths relative to `staging`."""
    staged = []
    for source_dir, target_dir in ((Path(MODELS), Path(MODELS)), (Path(OLLAMA), OLLAMA_HOME)):
        for path in sorted((bundle / source_dir).rglob("*")):
            if path.is_file():
                relative = target_dir / path.relative_to(bundle / source_dir)
                copy_file(progress, path, staging / relative, f"placing {path.name[:24]}")
                staged.append(relative)
    return staged


def _commit(staging: Path, staged: list[Path], home: Path) -> list[Path]:
    placed = []
    for relative in staged:
        target = home / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
        placed.append(target)
    return placed


def _write_profile(bundle: Path) -> Path:
    """Write the bundle's profile as VICTOR_HOME/profiles.yaml, keeping an existing one as .bak."""
    target = paths.user_config_file()
    if target.exists():
        shutil.copy2(target, target.with_name(target.name + ".bak"))
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(bundle / PROFILE, partial)
    os.replace(partial, target)
    return target
