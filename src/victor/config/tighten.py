"""The rule that a project file (a cloned repo's `.victor/profiles.yaml`) may tighten security but
never loosen it, and that a user file may not loosen what an organisation file set: a property of the
effective policy, checked by comparing the merged configuration without the layer (`before`) and
with it (`after`), axis by axis:

- routing (`reach.py`): for every task type or requested profile × data class (and every move of a
  file between classes) × with or without a secret, the profiles off this machine that a request can
  reach, fallback chains followed transitively, may only shrink;
- data classes (`class_rules.py`): a file's class only goes up, the providers that see it only shrink;
- numeric limits (`limits.py`): only tighter, "no limit" compared as infinity;
- the rest by key: an order from tight to loose, a list that may only grow or only shrink, a value
  that may not change; the secrets baseline stays inside the repository; no profile off this machine
  is defined or changed.

Each axis is one entry of RULES, a function (before, after, context) yielding findings: the key paths
that decided it, most specific first, and the reason. A new section plugs in with one entry, e.g.
`key_rule(("network", "trusted_hosts"), adds_items, "trusts more hosts")`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from victor.config.approval_modes import APPROVAL_MODES
from victor.config.class_rules import class_loosenings, transitions
from victor.config.keys import Finding, KeyPath, overlaps
from victor.config.limits import lookup, raised_limits, values_at
from victor.config.reach import LEVELS, Reach, describe, routes
from victor.config.schema import Config
from victor.mcp.tighten import mcp_rule

Looser = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Context:
    """What a rule may need beyond the two configurations: both as plain data (dumped once for every
    rule), and the repository root of a project layer."""

    old: dict[str, Any]
    new: dict[str, Any]
    root: Path | None = None


Rule = Callable[[Config, Config, Context], Iterable[Finding]]


def order(*tight_to_loose: Any) -> Looser:
    return lambda before, after: tight_to_loose.index(after) > tight_to_loose.index(before)


def adds_items(before: Any, after: Any) -> bool:
    return bool(set(after or ()) - set(before or ()))


def drops_items(before: Any, after: Any) -> bool:
    return bool(set(before or ()) - set(after or ()))


def changed(before: object, after: object) -> bool:
    return before != after


# The value a keyed entry (a new tool rule, a new profile) is compared against when no lower layer has it.
NEW_ENTRY_DEFAULTS: dict[KeyPath, Any] = {
    ("approvals", "tools", "*", "allow"): [],
    ("approvals", "tools", "*", "ask"): [],
    ("approvals", "tools", "*", "deny"): [],
    ("profiles", "*", "sensitive_data"): "route_local",
}


def key_rule(pattern: KeyPath, is_looser: Looser, reason: str) -> Rule:
    """Compare the value at every key path `pattern` matches (`*`: any key) before and after."""

    def rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
        for path, value in values_at(context.new, pattern):
            present, previous = lookup(context.old, path)
            if is_looser(previous if present else NEW_ENTRY_DEFAULTS.get(pattern), value):
                yield (path,), reason

    return rule


def limits_rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
    for path, reason in raised_limits(context.old, context.new):
        yield (path,), reason


def data_classes_rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
    yield from class_loosenings(before.data_classes, after.data_classes, {**before.profiles, **after.profiles})


def reach_rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
    """A profile off this machine that some request can reach after the layer and could not before."""
    if _routing_view(before) == _routing_view(after):
        return
    usual = (before.data_classes.default, after.data_classes.default)  # a request with no file
    named = {level for level in LEVELS if getattr(after.data_classes, level).paths}
    moves = sorted(transitions(before.data_classes, after.data_classes),  # the likeliest requests first
                   key=lambda move: (move != usual, move[1] not in named, LEVELS.index(move[1])))
    old_reach, new_reach = Reach(before), Reach(after)
    for route in routes(after):
        for sensitive in (False, True):
            for was, now in moves:
                old = old_reach.cloud(route, was, sensitive)
                for endpoint, provenance in new_reach.cloud(route, now, sensitive).items():
                    if endpoint not in old:
                        name, provider, _ = endpoint
                        data = f"{now} data{' holding a secret' if sensitive else ''}"
                        yield provenance, f"lets {describe(route)} with {data} reach '{name}' ({provider}), off this machine"


def _routing_view(config: Config) -> tuple[Any, ...]:
    """Everything `Reach` reads."""
    return config.offline_mode, config.default_profile, config.routing, config.profiles, config.data_classes


_NOT_THE_ENDPOINT = {"sensitive_data", "fallback", "description"}  # each has its own rule


def profiles_rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
    """No layer defines a profile off this machine, or changes one, other than through the keys that
    have their own rule; nor makes one the default."""
    for name, profile in after.profiles.items():
        old = before.profiles.get(name)
        if profile.is_local or old == profile:
            continue
        if old is None or old.is_local:
            yield (("profiles", name),), "defines a profile that sends data off this machine"
            continue
        keys = [key for key in type(profile).model_fields
                if key not in _NOT_THE_ENDPOINT and getattr(old, key) != getattr(profile, key)]
        if keys:
            yield (tuple(("profiles", name, key) for key in keys),
                   f"changes {', '.join(keys)} of '{name}', a profile that sends data off this machine")
    chosen = after.profiles.get(after.default_profile)
    if before.default_profile != after.default_profile and chosen is not None and not chosen.is_local:
        yield (("default_profile",),), "makes a profile off this machine the default"


def baseline_rule(before: Config, after: Config, context: Context) -> Iterator[Finding]:
    """The secrets baseline (which `--update-baseline` writes) stays inside the repository, out of
    `.git`; above an organisation file that sets it, it does not move."""
    old, new = before.secrets.baseline, after.secrets.baseline
    if old == new:
        return
    if context.root is None:
        yield (("secrets", "baseline"),), "moves the secrets baseline"
    elif new is not None and not _inside_repository(context.root, new):
        yield (("secrets", "baseline"),), f"points the secrets baseline at {new!r}, outside the repository or in .git"


def _inside_repository(root: Path, value: str) -> bool:
    path = Path(os.path.normpath(value))
    if path.parts[:1] == ("..",):
        return False
    base = root.resolve()
    target = (base / path).resolve()
    return target.is_relative_to(base) and ".git" not in {part.casefold() for part in target.relative_to(base).parts}


RULES: list[Rule] = [
    key_rule(("offline_mode",), order(True, False), "turns offline mode off"),
    reach_rule,
    profiles_rule,
    data_classes_rule,
    limits_rule,
    key_rule(("sandbox", "backend"), order("docker", "none"), "turns the sandbox off"),
    key_rule(("sandbox", "network"), order(False, True), "opens the sandbox's network"),
    key_rule(("sandbox", "runtime"), changed, "changes the sandbox runtime"),
    key_rule(("sandbox", "image"), changed, "changes the sandbox image"),
    key_rule(("sandbox", "env_allowlist"), adds_items, "forwards more host environment into the sandbox"),
    key_rule(("approvals", "mode"), order(*APPROVAL_MODES), "auto-approves more"),
    key_rule(("approvals", "tools", "*", "allow"), adds_items, "adds an allow rule"),
    key_rule(("approvals", "tools", "*", "ask"), drops_items, "removes an ask rule"),
    key_rule(("approvals", "tools", "*", "deny"), drops_items, "removes a deny rule"),
    key_rule(("approvals", "deny_paths"), drops_items, "removes a protected path"),
    key_rule(("audit", "enabled"), order(True, False), "turns the audit log off"),
    key_rule(("audit", "path"), changed, "moves the audit log"),
    key_rule(("audit", "anchor_path"), changed, "moves the audit log's rollback witness"),
    key_rule(("audit", "user"), changed, "changes the user the audit log names"),
    key_rule(("audit", "include_prompts"), order(False, True), "puts prompts in the audit log"),
    key_rule(("audit", "fsync"), order("always", "batch", "never"), "weakens audit durability"),
    key_rule(("budgets", "on_exceeded"), order("block", "switch_to_local"), "weakens the budget policy"),
    key_rule(("routing", "cloud_tasks"), adds_items, "sends more tasks to the cloud"),
    key_rule(("profiles", "*", "sensitive_data"), order("block", "route_local", "redact"),
             "weakens the sensitive-data policy"),
    key_rule(("profiles", "*", "model_path"), changed,
             "chooses the file llama.cpp parses on this machine (a crafted GGUF is code, not data)"),
    key_rule(("secrets", "exclude_paths"), adds_items, "excludes more paths from the secret scanner"),
    key_rule(("network", "trusted_hosts"), adds_items, "trusts more hosts as inside the organisation"),
    baseline_rule,
    mcp_rule,
]


def loosened(before: Config, after: Config, layer_keys: set[KeyPath], *, floor_keys: set[KeyPath] | None = None,
             root: Path | None = None) -> list[tuple[KeyPath, str]]:
    """Where `after` (the configuration with a layer) is looser than `before` (without it), each as the
    key path to blame and the reason. `layer_keys`: the keys the layer set, to point at its line.
    `floor_keys`: for a layer that may change what no lower file fixed (a user's file above an
    organisation's), the keys that file set; only loosenings they decide count. `root`: the
    repository of a project layer."""
    layer = _leaves(layer_keys)
    floor = None if floor_keys is None else _leaves(floor_keys)
    if floor == set():
        return []
    found: list[tuple[KeyPath, str]] = []
    context = Context(before.model_dump(), after.model_dump(), root)
    before, after = _same_trust(before, after)
    for rule in RULES:
        for paths, reason in rule(before, after, context):
            if floor is None:
                found.append((next((path for path in paths if _covers(layer, path)), paths[0]), reason))
                continue
            fixed = [path for path in paths if _covers(floor, path)]
            if fixed:
                found.append((next((path for path in paths if _covers(layer, path)), fixed[0]), reason))
    return found


def _same_trust(before: Config, after: Config) -> tuple[Config, Config]:
    """Both configurations with the union of their trusted hosts, so that a profile's place (inside
    or outside the organisation) is judged alike on both sides: trusting more is the trusted_hosts
    rule's finding, trusting less only tightens."""
    old, new = before.network.trusted_hosts, after.network.trusted_hosts
    if old == new:
        return before, after
    hosts = [*old, *(host for host in new if host not in old)]
    copies = before.model_copy(deep=True), after.model_copy(deep=True)
    for copy in copies:
        copy.trust(hosts)
    return copies


def _leaves(keys: set[KeyPath]) -> set[KeyPath]:
    """The keys that hold values: those no other key extends."""
    parents = {key[:end] for key in keys for end in range(len(key))}
    return keys - parents


def _covers(leaves: set[KeyPath], path: KeyPath) -> bool:
    """Did a file with these leaf keys set `path`, a part of it, or a value holding it?"""
    return any(overlaps(leaf, path) for leaf in leaves)
