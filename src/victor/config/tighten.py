"""The rule that a project file (a cloned repo's `.victor/profiles.yaml`) may tighten security but
never loosen it, and that a user file may not loosen what an organisation file set.

Each rule names a key path (`*` matches any key) and how to compare the value before the layer with
the value after it. A profile a project adds or changes must stay on this machine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from victor.config.schema import Config

KeyPath = tuple[str, ...]
Looser = Callable[[Any, Any], bool]

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def _size_bytes(value: str) -> float:
    match = _SIZE.match(str(value))
    if not match:
        return float("inf")
    number, unit = match.groups()
    return float(number) * 1024 ** "_kmgt".index(unit.lower() or "_")


def _order(*tight_to_loose: Any) -> Looser:
    return lambda before, after: tight_to_loose.index(after) > tight_to_loose.index(before)


def _more(before: Any, after: Any) -> bool:
    """A larger limit is looser; None means unlimited."""
    if after is None:
        return before is not None
    return before is not None and after > before


def _bigger_size(before: Any, after: Any) -> bool:
    return _size_bytes(after) > _size_bytes(before)


def _adds_items(before: Any, after: Any) -> bool:
    if after is None:
        return before is not None
    return before is not None and bool(set(after) - set(before))


def _drops_items(before: Any, after: Any) -> bool:
    return bool(set(before or ()) - set(after or ()))


def _changed(before: Any, after: Any) -> bool:
    return before != after


RULES: list[tuple[KeyPath, Looser, str]] = [
    (("offline_mode",), _order(True, False), "turns offline mode off"),
    (("sandbox", "backend"), _order("docker", "none"), "turns the sandbox off"),
    (("sandbox", "network"), _order(False, True), "opens the sandbox's network"),
    (("sandbox", "runtime"), _changed, "changes the sandbox runtime"),
    (("sandbox", "image"), _changed, "changes the sandbox image"),
    (("sandbox", "memory"), _bigger_size, "raises a sandbox limit"),
    (("sandbox", "tmp_size"), _bigger_size, "raises a sandbox limit"),
    (("sandbox", "cpus"), _more, "raises a sandbox limit"),
    (("sandbox", "pids_limit"), _more, "raises a sandbox limit"),
    (("sandbox", "timeout_s"), _more, "raises a sandbox limit"),
    (("sandbox", "output_limit_bytes"), _more, "raises a sandbox limit"),
    (("sandbox", "nofile_soft"), _more, "raises a sandbox limit"),
    (("sandbox", "nofile_hard"), _more, "raises a sandbox limit"),
    (("sandbox", "fsize_bytes"), _more, "raises a sandbox limit"),
    (("sandbox", "env_allowlist"), _adds_items, "forwards more host environment into the sandbox"),
    (("approvals", "mode"), _order("ask", "auto-edit", "full-auto"), "auto-approves more"),
    (("approvals", "tools", "*", "allow"), _adds_items, "adds an allow rule"),
    (("approvals", "tools", "*", "ask"), _drops_items, "removes an ask rule"),
    (("approvals", "tools", "*", "deny"), _drops_items, "removes a deny rule"),
    (("approvals", "deny_paths"), _drops_items, "removes a protected path"),
    (("audit", "enabled"), _order(True, False), "turns the audit log off"),
    (("audit", "path"), _changed, "moves the audit log"),
    (("audit", "anchor_path"), _changed, "moves the audit log's rollback witness"),
    (("audit", "include_prompts"), _order(False, True), "puts prompts in the audit log"),
    (("audit", "fsync"), _order("always", "batch", "never"), "weakens audit durability"),
    (("budgets", "daily_usd"), _more, "raises a budget"),
    (("budgets", "monthly_usd"), _more, "raises a budget"),
    (("budgets", "alert_at"), _more, "raises a budget alert threshold"),
    (("budgets", "on_exceeded"), _order("block", "switch_to_local"), "weakens the budget policy"),
    (("budgets", "per_profile", "*", "daily_usd"), _more, "raises a budget"),
    (("budgets", "per_profile", "*", "monthly_usd"), _more, "raises a budget"),
    (("data_classes", "default"), _order("restricted", "confidential", "internal", "public"), "lowers the default data class"),
    (("data_classes", "*", "providers"), _adds_items, "lets more providers see a data class"),
    (("data_classes", "*", "paths"), _drops_items, "removes a data-class rule"),
    (("routing", "cloud_tasks"), _adds_items, "sends more tasks to the cloud"),
    (("routing", "cloud_profile"), _changed, "changes the cloud profile"),
    (("profiles", "*", "sensitive_data"), _order("block", "route_local", "redact"), "weakens the sensitive-data policy"),
]


def _values(data: Any, path: KeyPath, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    if not path:
        yield prefix, data
        return
    head, rest = path[0], path[1:]
    if not isinstance(data, dict):
        return
    keys = data.keys() if head == "*" else [head]
    for key in keys:
        if key in data:
            yield from _values(data[key], rest, (*prefix, key))


def _lookup(data: Any, path: KeyPath) -> tuple[bool, Any]:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def loosened(before: Config, after: Config, layer_keys: set[KeyPath]) -> list[tuple[KeyPath, str]]:
    """Key paths the layer set whose value is looser after it than before, with the reason."""
    old, new = before.model_dump(), after.model_dump()
    found: list[tuple[KeyPath, str]] = []

    def set_by_layer(path: KeyPath) -> bool:
        return any(path[: len(key)] == key or key[: len(path)] == path for key in layer_keys)

    for pattern, is_looser, reason in RULES:
        for path, value in _values(new, pattern):
            present, previous = _lookup(old, path)
            if not present:
                previous = _default_for(pattern)
            if set_by_layer(path) and is_looser(previous, value):
                found.append((path, reason))
    found.extend(_profiles_leaving_machine(before, after, layer_keys))
    return found


NEW_ENTRY_DEFAULTS: dict[KeyPath, Any] = {
    ("approvals", "tools", "*", "allow"): [],
    ("approvals", "tools", "*", "ask"): [],
    ("approvals", "tools", "*", "deny"): [],
    ("profiles", "*", "sensitive_data"): "route_local",
}


def _default_for(pattern: KeyPath) -> Any:
    """The value a keyed entry (a new tool rule, profile or per-profile budget) is compared against
    when no lower layer has it; None means unlimited."""
    return NEW_ENTRY_DEFAULTS.get(pattern)


def _profiles_leaving_machine(before: Config, after: Config, layer_keys: set[KeyPath]) -> Iterator[tuple[KeyPath, str]]:
    for name, profile in after.profiles.items():
        if ("profiles", name) not in {key[:2] for key in layer_keys}:
            continue
        if not profile.is_local:
            yield ("profiles", name), "defines a profile that sends data off this machine"
        for target in profile.fallback:
            if target in after.profiles and not after.profiles[target].is_local:
                yield ("profiles", name, "fallback"), "falls back to a profile off this machine"
    if ("default_profile",) in layer_keys and before.default_profile != after.default_profile:
        chosen = after.profiles.get(after.default_profile)
        if chosen is not None and not chosen.is_local:
            yield ("default_profile",), "makes a profile off this machine the default"
