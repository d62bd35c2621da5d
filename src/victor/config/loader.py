"""Load the layered configuration, lowest first: built-in profiles, the organisation file, the user's
`$VICTOR_HOME/profiles.yaml`, the project's `.victor/profiles.yaml`, then environment and flags.

Each layer is interpolated, merged and validated in turn, so an error names the file that caused it.
The organisation layer is a floor for everything above it; the project layer may only tighten.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from victor import paths
from victor.config.builtin import BUILTIN_SOURCE, builtin_layer
from victor.config.interpolate import expand
from victor.config.keys import KeyPath
from victor.config.limits import insane_values
from victor.config.schema import Config, ProfileConfig
from victor.config.tighten import loosened
from victor.config.urls import refuse_env_hosts
from victor.config.validation import config_error
from victor.config.yaml_source import SourceFile, load_yaml_file
from victor.errors import ConfigError

ORG, USER, PROJECT, SESSION = "organisation", "user", "project", "session"


@dataclass
class LoadedConfig:
    """The merged, validated configuration and where it came from."""

    config: Config
    sources: list[str]
    unset_vars: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """SHA-256 of the effective configuration, for the audit log's `config_loaded` record."""
        import hashlib

        return hashlib.sha256(self.config.model_dump_json().encode()).hexdigest()

    def profile_name(self, name: str | None = None) -> str:
        chosen = name or self.config.default_profile
        if chosen not in self.config.profiles:
            close = difflib.get_close_matches(chosen, list(self.config.profiles), n=1)
            suggestion = f"; did you mean '{close[0]}'?" if close else ""
            raise ConfigError(
                f"no profile named '{chosen}'{suggestion}",
                hint=f"known profiles: {', '.join(sorted(self.config.profiles))} (see `victor profiles list`)",
            )
        return chosen

    def profile(self, name: str | None = None) -> ProfileConfig:
        """The named (or default) profile; raises if it needs an environment variable that is unset."""
        chosen = self.profile_name(name)
        for variable, where in self.unset_vars.get(chosen, []):
            raise ConfigError(
                f"{where}: profile '{chosen}' needs environment variable {variable}, which is not set",
                hint=f"export {variable}=…, or give a default with ${{{variable}:-value}}",
            )
        return self.config.profiles[chosen]


def load_config(
    repo_root: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    extra_files: list[Path] | None = None,
) -> LoadedConfig:
    """Build the configuration for `repo_root`. `overrides` are flag values as nested dicts;
    `extra_files` are validated as if they were the user's file (for `profiles validate FILE`)."""
    env = os.environ if env is None else env
    layers: list[tuple[str, SourceFile]] = []
    for kind, path in _layer_files(repo_root, extra_files):
        layers.append((kind, load_yaml_file(path)))
    layers.append((SESSION, _session_layer(env, overrides or {})))

    merged = builtin_layer()
    config = Config.model_validate(merged)
    org_keys: set[KeyPath] = set()
    unset: dict[str, list[tuple[str, str]]] = {}
    for kind, source in layers:
        if kind == PROJECT:
            refuse_env_hosts(source.data, source.where)
        data, missing = _interpolate(source, env)
        for var_path, variable in missing.items():
            if var_path[:1] == ("profiles",) and len(var_path) > 2:
                unset.setdefault(var_path[1], []).append((variable, source.where(var_path)))
            else:
                raise ConfigError(
                    f"{source.where(var_path)}: environment variable {variable} is not set ('{'.'.join(var_path)}')",
                    hint=f"export {variable}=…, or give a default with ${{{variable}:-value}}",
                )
        candidate = _merge(_without_replaced_profiles(merged, data), data)
        try:
            after = Config.model_validate(candidate)
        except ValidationError as exc:
            raise config_error(exc, source, missing) from None
        layer_keys = set(source.lines)
        _refuse_insane_values(source, after)
        _refuse_loosening(kind, source, config, after, layer_keys, org_keys)
        if kind == ORG:
            org_keys |= layer_keys
        merged, config = candidate, after
    sources = [BUILTIN_SOURCE] + [source.name for kind, source in layers if kind != SESSION]
    return LoadedConfig(config=config, sources=sources, unset_vars=unset)


def _layer_files(repo_root: Path | None, extra_files: list[Path] | None) -> list[tuple[str, Path]]:
    found = [(ORG, paths.org_config_file()), (USER, paths.user_config_file())]
    found = [(kind, path) for kind, path in found if path.is_file()]
    for path in extra_files or []:
        found.append((PROJECT if _is_project_file(path) else USER, path))
    project = paths.project_config_file(repo_root)
    if project.is_file() and project.resolve() not in {p.resolve() for _, p in found}:
        found.append((PROJECT, project))
    return found


def _is_project_file(path: Path) -> bool:
    """A `.victor/profiles.yaml` that is not the user's own is a project file, wherever it is."""
    return path.parent.name == ".victor" and path.resolve() != paths.user_config_file().resolve()


def _session_layer(env: Mapping[str, str], overrides: Mapping[str, Any]) -> SourceFile:
    """Environment variables and command-line flags, as one more layer."""
    data: dict[str, Any] = {}
    lines: dict[KeyPath, int] = {}
    if env.get("VICTOR_PROFILE"):
        data["default_profile"] = env["VICTOR_PROFILE"]
    if env.get("VICTOR_OFFLINE", "").lower() in {"1", "true", "yes", "on"}:
        data["offline_mode"] = True
    audit_flag = env.get("VICTOR_AUDIT_LOG", "").lower()
    if audit_flag in {"0", "false", "no", "off", "1", "true", "yes", "on"}:
        data.setdefault("audit", {})["enabled"] = audit_flag in {"1", "true", "yes", "on"}
    if env.get("VICTOR_AUDIT_PATH"):
        data.setdefault("audit", {})["path"] = env["VICTOR_AUDIT_PATH"]
    data = _merge(data, dict(overrides))
    _record_keys(data, (), lines)
    return SourceFile(name="environment and flags", data=data, lines=lines)


def _record_keys(data: Any, prefix: KeyPath, lines: dict[KeyPath, int]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            lines[(*prefix, key)] = 0
            _record_keys(value, (*prefix, key), lines)


def _interpolate(source: SourceFile, env: Mapping[str, str]) -> tuple[dict[str, Any], dict[KeyPath, str]]:
    missing: dict[KeyPath, str] = {}

    def walk(value: Any, path: KeyPath) -> Any:
        if isinstance(value, str):
            expanded, unset = expand(value, env)
            if unset:
                missing[path] = unset[0]
            return expanded
        if isinstance(value, dict):
            return {key: walk(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*path, str(index))) for index, item in enumerate(value)]
        return value

    return walk(source.data, ()), missing


def _without_replaced_profiles(base: dict[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    """A layer that gives a profile another provider replaces that profile whole: an Ollama
    base_url must not leak into an Anthropic profile."""
    profiles = layer.get("profiles")
    if not isinstance(profiles, Mapping):
        return base
    replaced = {
        name
        for name, profile in profiles.items()
        if isinstance(profile, Mapping)
        and "provider" in profile
        and profile["provider"] != (base.get("profiles", {}).get(name) or {}).get("provider", profile["provider"])
    }
    if not replaced:
        return base
    kept = {name: value for name, value in base["profiles"].items() if name not in replaced}
    return {**base, "profiles": kept}


def _merge(base: dict[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in `layer` replace those in `base`."""
    result = copy.deepcopy(base)
    for key, value in layer.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _refuse_insane_values(source: SourceFile, after: Config) -> None:
    """A limit that cannot be read, or so small that it means nothing (see `limits.py`), in any file."""
    for path, why in insane_values(after):
        raise ConfigError(f"{source.where(path)}: '{'.'.join(path)}': {why}", hint="write a sane value, or remove the key")


def _refuse_loosening(
    kind: str, source: SourceFile, before: Config, after: Config, layer_keys: set[KeyPath], org_keys: set[KeyPath]
) -> None:
    if kind == ORG:
        return
    project = kind == PROJECT
    problems = loosened(before, after, layer_keys, floor_keys=None if project else org_keys,
                        root=Path(source.name).absolute().parent.parent if project else None)
    if not problems:
        return
    path, why = problems[0]
    dotted = ".".join(path)
    if project:
        raise ConfigError(
            f"{source.where(path)}: a project file may tighten security but not loosen it: '{dotted}' {why}",
            hint=f"remove '{dotted}' from {source.name}; if you trust it, set it in {paths.user_config_file()}",
        )
    raise ConfigError(
        f"{source.where(path)}: '{dotted}' {why}, but your organisation's profile file sets it",
        hint=f"the organisation's setting in {paths.org_config_file()} wins; ask its owners to change it",
    )
