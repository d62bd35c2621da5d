"""Profiles and settings: the schema, the layered loader and the project-may-only-tighten rule."""

from victor.config.loader import LoadedConfig, load_config
from victor.config.schema import Config, ProfileConfig

__all__ = ["Config", "LoadedConfig", "ProfileConfig", "load_config"]
