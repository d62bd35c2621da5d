"""Read one YAML profile file into plain data plus the line of every key, refusing what YAML allows
but a profile must not: duplicate keys, non-string keys, a top level that is not a mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from victor.config.keys import KeyPath
from victor.errors import ConfigError


@dataclass
class SourceFile:
    """A parsed layer: its data, where each key path sits in the file, and the file's name."""

    name: str
    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def where(self, path: KeyPath) -> str:
        """`file:line` for the deepest known prefix of `path`, else just the file."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return f"{self.name}:{line}"
        return self.name


def load_yaml_file(path: Path) -> SourceFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})", hint="save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_yaml(text, str(path))


# `${VAR}` is not valid inside a YAML flow mapping (`{api_key: ${KEY}}`, the seed's own format), so
# references are swapped for same-length private-use tokens before parsing (keeping line and column
# numbers true) and restored in the parsed strings.
_REFERENCE = re.compile(r"\$\{[^}\n]*\}")
_TOKEN = re.compile("\ue000\ue002*(\\d+)\ue001")


def _protect_references(text: str) -> tuple[str, list[str]]:
    originals: list[str] = []

    def token(match: re.Match[str]) -> str:
        originals.append(match.group(0))
        digits = str(len(originals) - 1)
        return "\ue000" + digits.rjust(len(match.group(0)) - 2, "\ue002") + "\ue001"

    return _REFERENCE.sub(token, text), originals


def parse_yaml(text: str, name: str) -> SourceFile:
    text, originals = _protect_references(text)
    loader = yaml.SafeLoader(text)
    loader.victor_references = originals  # type: ignore[attr-defined]
    try:
        root = loader.get_single_node()
        source = SourceFile(name=name, data={})
        if root is None:
            return source
        if not isinstance(root, yaml.MappingNode):
            raise ConfigError(
                f"{name}:{root.start_mark.line + 1}: the top level must be a mapping of keys such as 'profiles:'",
            )
        source.data = _build(root, (), source, loader)
        return source
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_describe_yaml_error(exc, name, text), hint=_yaml_hint(exc)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _build(node: yaml.Node, path: KeyPath, source: SourceFile, loader: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise ConfigError(f"{source.name}:{line}: key {key!r} under '{'.'.join(path) or 'top level'}' must be text")
            if key in result:
                first = source.lines[(*path, key)]
                raise ConfigError(
                    f"{source.name}:{line}: duplicate key '{'.'.join((*path, key))}' (first defined on line {first})",
                    hint="remove one of the two; YAML would silently keep only the last",
                )
            source.lines[(*path, key)] = line
            result[key] = _build(value_node, (*path, key), source, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            source.lines[(*path, str(index))] = item.start_mark.line + 1
            items.append(_build(item, (*path, str(index)), source, loader))
        return items
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str) and "\ue000" in value:
        originals = loader.victor_references  # type: ignore[attr-defined]
        value = _TOKEN.sub(lambda match: originals[int(match.group(1))], value)
    return value


def _describe_yaml_error(exc: yaml.MarkedYAMLError, name: str, text: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is None:
        return f"{name}: {problem}"
    line_text = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    if "\t" in line_text[: mark.column + 1] or "'\\t'" in problem:
        problem = "a tab character; YAML indents with spaces only"
    return f"{name}:{mark.line + 1}:{mark.column + 1}: {problem}"


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "\\t" in problem or "tab" in problem:
        return "replace the tabs with spaces"
    if "mapping values are not allowed" in problem or "expected <block end>" in problem:
        return "check the indentation of this line against the key above it"
    return "fix the YAML syntax at that position"
