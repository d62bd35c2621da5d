"""Model files in the bundle: GGUF files (by default the one the built-in `embedded` profile runs) and Ollama models
(a manifest and the blobs it names, copied from Ollama's model store)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from victor.errors import ConfigError, UsageError

GGUF_MAGIC = b"GGUF"
OLLAMA_REGISTRY = "registry.ollama.ai"


def embedded_model() -> Path:
    """The GGUF the built-in `embedded` profile runs, joined from its part packages (the `local` extra)."""
    from victor.config.builtin import builtin_layer
    from victor.models.catalog import embedded_model as catalog_model
    from victor.models.store import ensure_model

    try:
        return ensure_model(catalog_model(builtin_layer()["profiles"]["embedded"]["model"]))
    except ConfigError as error:
        raise UsageError(f"no --model given, and {error.message}",
                         hint=f"pass --model FILE.gguf, or {error.hint}") from None


def check_gguf(path: Path) -> Path:
    """`path` if it is a readable GGUF file, else a UsageError naming it."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(GGUF_MAGIC))
    except OSError as exc:
        raise UsageError(f"--model {path}: {exc.strerror}") from None
    if magic != GGUF_MAGIC:
        raise UsageError(f"--model {path}: not a GGUF file", hint="pass a .gguf model file")
    return path


def gguf_models(given: list[Path]) -> list[Path]:
    """The GGUF files to pack: the given ones (unique file names), else the embedded model."""
    models = [check_gguf(path.expanduser()) for path in given] or [embedded_model()]
    names = [path.name for path in models]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise UsageError(f"two --model files share the name {duplicates[0]}", hint="rename one of them")
    return models


@dataclass(frozen=True)
class OllamaModel:
    """One Ollama model: its name (`qwen2.5-coder:7b`), its store and the store-relative files of it."""

    name: str
    store: Path
    files: tuple[str, ...]


def ollama_store() -> Path:
    """Ollama's model store: `$OLLAMA_MODELS`, else ~/.ollama/models."""
    return Path(os.environ.get("OLLAMA_MODELS") or Path.home() / ".ollama" / "models").expanduser()


def ollama_model(name: str, store: Path) -> OllamaModel:
    """Find `name` in `store`: its manifest and every blob the manifest lists."""
    repository, _, tag = name.partition(":")
    namespace, _, model = repository.rpartition("/")
    manifest = Path("manifests", OLLAMA_REGISTRY, namespace or "library", model, tag or "latest")
    try:
        layers = json.loads((store / manifest).read_text(encoding="utf-8"))
        digests = [layers["config"]["digest"], *(layer["digest"] for layer in layers["layers"])]
    except FileNotFoundError:
        raise UsageError(f"--ollama-model {name}: not in Ollama's store {store}",
                         hint=f"run `ollama pull {name}` first (or set OLLAMA_MODELS)") from None
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"--ollama-model {name}: {store / manifest} is not an Ollama manifest") from None
    blobs = [Path("blobs", digest.replace(":", "-")) for digest in digests]
    missing = [blob for blob in blobs if not (store / blob).is_file()]
    if missing:
        raise UsageError(f"--ollama-model {name}: blob {store / missing[0]} is missing",
                         hint=f"run `ollama pull {name}` again")
    return OllamaModel(name, store, tuple(path.as_posix() for path in (manifest, *blobs)))
