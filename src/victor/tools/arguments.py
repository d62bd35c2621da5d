"""Tool-call arguments checked against the tool's JSON schema: the one validator behind both the tool
runner (`agent/dispatch.py`) and the repair of calls written as text (`providers/text_calls.py`).

A deliberately small validator for the subset tool schemas use (type, required, properties,
additionalProperties, enum, const, items, anyOf/oneOf); it returns readable problems naming the
offending field, not exceptions, so the repair loop can tell the model what to fix.
"""

from __future__ import annotations

from typing import Any

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def coerce_arguments(parameters: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """`args` as the tool takes them: a None value counts as left out, the strings small models send
    for numbers and booleans become those, and only the declared arguments are accepted. Raises
    ValueError naming every problem on one line."""
    properties: dict[str, Any] = parameters.get("properties", {})
    given = {name: _converted(properties.get(name, {}), value) for name, value in args.items() if value is not None}
    problems = schema_problems(given, {**parameters, "additionalProperties": False})
    if problems:
        raise ValueError("; ".join(problems))
    return given


def schema_problems(value: Any, schema: dict[str, Any], where: str = "arguments") -> list[str]:
    """Every way `value` breaks `schema`, as short sentences naming the offending field."""
    for key in ("anyOf", "oneOf"):
        if key in schema:
            if not any(not schema_problems(value, option, where) for option in schema[key]):
                return [f"{where} matches none of the allowed shapes"]
    if "const" in schema and value != schema["const"]:
        return [f"{where} must be {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where} must be one of {schema['enum']!r}, not {value!r}"]
    expected = schema.get("type")
    if expected is not None and not _has_type(value, expected):
        return [f"{where} must be of type {expected}, not {type(value).__name__}"]
    if isinstance(value, dict):
        return _object_problems(value, schema, where)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [p for i, item in enumerate(value) for p in schema_problems(item, schema["items"], f"{where}[{i}]")]
    return []


def _converted(schema: dict[str, Any], value: Any) -> Any:
    """`value` as the number or boolean `schema` asks for when it is written as one; else unchanged."""
    kind = schema.get("type")
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return value
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return value


def _has_type(value: Any, expected: str | list[str]) -> bool:
    names = expected if isinstance(expected, list) else [expected]
    for name in names:
        if name in ("integer", "number") and isinstance(value, bool):
            continue
        if isinstance(value, JSON_TYPES.get(name, (object,))):
            return True
    return False


def _object_problems(value: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    properties: dict[str, Any] = schema.get("properties", {})
    problems = [
        f"{where} is missing required field '{name}'" for name in schema.get("required", []) if name not in value
    ]
    for name, item in value.items():
        if name in properties:
            problems += schema_problems(item, properties[name], f"{where}.{name}")
        elif schema.get("additionalProperties") is False:
            problems.append(f"{where} has unknown field '{name}' (allowed: {', '.join(properties) or 'none'})")
    return problems
