"""Profiles and settings: the schema, the layered loader and the project-may-only-tighten rule.

The names are imported on first use, so a light submodule (`victor.config.urls`, which the egress
guard loads at start-up) does not pull in pydantic and the loader."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Config": "victor.config.schema",
    "LoadedConfig": "victor.config.loader",
    "ProfileConfig": "victor.config.schema",
    "load_config": "victor.config.loader",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'victor.config' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
