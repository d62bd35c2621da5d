"""`victor airgap pack`: build a bundle directory (and optionally a tar of it) on a connected machine,
with what the configured MCP servers need (mcp_runtime.py).

The bundle is assembled in a scratch directory beside OUT and renamed into place only when complete,
so a failed pack leaves nothing behind.
"""

from __future__ import annotations

import shutil
import sysconfig
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rich.progress import Progress

from victor import __version__
from victor.airgap import IMAGE_FILE, INSTALL_SCRIPT, MANIFEST, MODELS, OLLAMA, PROFILE, REQUIREMENTS, WHEELS
from victor.airgap.description import BundleDescription
from victor.airgap.image import sandbox_image_tag, save_image
from victor.airgap.manifest import bundle_files, total_bytes, write_manifest
from victor.airgap.mcp_runtime import Carried, carry
from victor.airgap.mcp_runtime import plan as plan_mcp
from victor.airgap.models import OllamaModel, gguf_models, ollama_model, ollama_store
from victor.airgap.profile import render_profile
from victor.airgap.progress import byte_task, copy_file, progress_bars
from victor.airgap.wheelhouse import build_wheelhouse, find_interpreter, install_requirements, interpreter_version
from victor.config import load_config
from victor.errors import UsageError

TAR_SUFFIX = ".tar"


@dataclass
class PackRequest:
    out: Path
    models: list[Path]
    ollama_models: list[str]
    python: str | None = None


@dataclass
class PackResult:
    bundle: Path
    tar: Path | None
    size_bytes: int
    files: int


def pack(request: PackRequest) -> PackResult:
    """Check the inputs, then gather wheels, models, image, profile, install.sh and the manifest."""
    bundle_dir = request.out.with_suffix("") if request.out.suffix == TAR_SUFFIX else request.out
    for target in {bundle_dir, request.out}:
        if target.exists():
            raise UsageError(f"{target} already exists", hint="choose a new OUT, or remove the old bundle")
    models = gguf_models(request.models)
    store = ollama_store()
    ollama = [ollama_model(name, store) for name in request.ollama_models]
    python = find_interpreter(request.python)
    servers = plan_mcp(load_config().config)
    image_tag = sandbox_image_tag()
    bundle_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{bundle_dir.name}.partial-", dir=bundle_dir.parent))
    try:
        with progress_bars() as progress:
            description = _fill(progress, scratch, models, ollama, python, image_tag, servers)
            description.write(scratch)
            _hash_all(progress, scratch)
            scratch.rename(bundle_dir)
            tar = _make_tar(progress, bundle_dir, request.out) if request.out != bundle_dir else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    names = bundle_files(bundle_dir)
    return PackResult(bundle_dir, tar, total_bytes(bundle_dir, names), len(names) + 1)


def _fill(progress: Progress, bundle: Path, models: list[Path], ollama: list[OllamaModel],
          python: str, image_tag: str, servers: Carried) -> BundleDescription:
    build_wheelhouse(progress, bundle / WHEELS, python)
    for model in models:
        copy_file(progress, model, bundle / MODELS / model.name, f"model: {model.name}")
    for entry in ollama:
        for name in entry.files:
            copy_file(progress, entry.store / name, bundle / OLLAMA / name, f"ollama: {entry.name}")
    save_image(progress, image_tag, bundle / IMAGE_FILE)
    carry(progress, bundle, servers)
    python_version = interpreter_version(python)
    (bundle / REQUIREMENTS).write_text("\n".join(install_requirements()) + "\n", encoding="utf-8")
    (bundle / PROFILE).write_text(
        render_profile([model.name for model in models], [entry.name for entry in ollama], image_tag, servers.servers),
        encoding="utf-8",
    )
    script = files("victor.airgap").joinpath(INSTALL_SCRIPT).read_text(encoding="utf-8")
    (bundle / INSTALL_SCRIPT).write_text(script.replace("@PYTHON_VERSION@", python_version), encoding="utf-8")
    (bundle / INSTALL_SCRIPT).chmod(0o755)
    return BundleDescription(
        victor_version=__version__, python_version=python_version, platform=sysconfig.get_platform(),
        models=[model.name for model in models], ollama_models=[entry.name for entry in ollama],
        image_tag=image_tag, image_file=IMAGE_FILE, mcp_images=servers.images,
    )


def _hash_all(progress: Progress, bundle: Path) -> None:
    task = byte_task(progress, "manifest: SHA-256", total_bytes(bundle, bundle_files(bundle)))
    write_manifest(bundle, lambda count: progress.advance(task, count))


def _make_tar(progress: Progress, bundle: Path, out: Path) -> Path:
    """An uncompressed tar of the bundle directory (models and wheels barely compress)."""
    names = [MANIFEST, *bundle_files(bundle)]
    task = byte_task(progress, f"tar: {out.name}", total_bytes(bundle, names))
    partial = out.with_name(out.name + ".partial")
    try:
        with tarfile.open(partial, "w") as archive:
            for name in names:
                archive.add(bundle / name, arcname=f"{bundle.name}/{name}")
                progress.advance(task, (bundle / name).stat().st_size)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return partial.rename(out)
