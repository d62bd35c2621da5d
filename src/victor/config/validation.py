"""Turn a pydantic ValidationError on a profile file into one ConfigError that names the file, the
line, the key path and, for an unknown key or value, the nearest valid one."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from victor.config.keys import KeyPath, overlaps
from victor.config.schema import Config
from victor.config.yaml_source import SourceFile
from victor.errors import ConfigError


def config_error(exc: ValidationError, source: SourceFile, missing_vars: dict[KeyPath, str]) -> ConfigError:
    """The first problem in `exc`, located in `source`. A failure on a value whose `${VAR}` was unset
    is reported as the unset variable, since that is what the user must fix."""
    error = exc.errors(include_url=False)[0]
    path = tuple(str(part) for part in error["loc"])
    for var_path, variable in missing_vars.items():
        if overlaps(path, var_path):
            profile = f" (profile '{var_path[1]}')" if var_path[:1] == ("profiles",) and len(var_path) > 1 else ""
            return ConfigError(
                f"{source.where(var_path)}: environment variable {variable} is not set{profile}",
                hint=f"export {variable}=…, or give a default with ${{{variable}:-value}}",
            )
    dotted = ".".join(path) or "top level"
    where = source.where(path)
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        known = sorted(_field_names(path[:-1]))
        close = difflib.get_close_matches(path[-1], known, n=1, cutoff=0.6)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        return ConfigError(
            f"{where}: unknown key '{dotted}'{suggestion}",
            hint=f"valid keys here: {', '.join(known)}" if known else None,
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(error.get("input")), choices, n=1, cutoff=0.6)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        return ConfigError(
            f"{where}: '{dotted}' cannot be {error.get('input')!r}{suggestion}",
            hint=f"choose one of: {', '.join(choices)}",
        )
    if kind == "missing":
        return ConfigError(f"{where}: '{dotted}' is required but missing", hint="add the key")
    message = message.removeprefix("Value error, ")
    return ConfigError(f"{where}: '{dotted}': {message} (got {_short(error.get('input'))})")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_names(path: KeyPath) -> set[str]:
    """The keys allowed at `path` in the schema, walking models, dicts and lists."""
    annotation: Any = Config
    for key in path:
        annotation = _step(annotation, key)
        if annotation is None:
            return set()
    model = _model_in(annotation)
    return set(model.model_fields) if model else set()


def _step(annotation: Any, key: str) -> Any:
    model = _model_in(annotation)
    if model is not None:
        field = model.model_fields.get(key)
        return field.annotation if field else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (dict, list):
        return None
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None
