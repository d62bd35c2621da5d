"""Profiles and settings: the schema, the layered loader and the project-may-only-tighten rule.

The names are imported on first use, so a light submodule (`victor.config.urls`, which the egress
guard loads at start-up) does not pull in pydantic and the loader."""

from __future__ import annotations

from typing import TYPE_CHECKING

from victor.lazy_exports import lazy_exports

if TYPE_CHECKING:  # a type checker sees the real names; at run time they load on first use
    from victor.config.loader import LoadedConfig as LoadedConfig
    from victor.config.loader import load_config as load_config
    from victor.config.schema import Config as Config
    from victor.config.schema import ProfileConfig as ProfileConfig

_EXPORTS = {
    "Config": "victor.config.schema",
    "LoadedConfig": "victor.config.loader",
    "ProfileConfig": "victor.config.schema",
    "load_config": "victor.config.loader",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
