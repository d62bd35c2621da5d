"""How a layer may change data classes: every file's class may only get more sensitive, and the
providers that may see a file may only shrink.

A file's class is the most sensitive class whose globs match it, else the default
(`victor.routing.data_classes.class_of`). So, whatever the files are:
- a glob may not leave its class, except to a more sensitive one, nor be dropped;
- the default class may not go down;
- a glob no lower layer has may not sit in a class below the old default (a file it matches may have
  had the default class);
- a file, or a request of several files (as sensitive as the most sensitive), can move from class C
  to a class C' above it only where C' gained a glob or became the default, and then the providers
  allowed for C' must be among those that were allowed for C.
`transitions` lists those moves; the routing comparison uses them too.
"""

from __future__ import annotations

from collections.abc import Iterator

from victor.config.keys import Finding
from victor.config.reach import LEVELS
from victor.config.schema import DataClassesConfig, ProfileConfig, provider_allowed


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _globs(config: DataClassesConfig) -> dict[str, set[str]]:
    return {level: set(getattr(config, level).paths) for level in LEVELS}


def transitions(before: DataClassesConfig, after: DataClassesConfig) -> set[tuple[str, str]]:
    """Every (class before, class after) a file or a request with no file can move through."""
    moves = {(level, level) for level in LEVELS} | {(before.default, after.default)}
    old, new = _globs(before), _globs(after)
    for level in LEVELS:
        if new[level] - old[level] or (level == after.default != before.default):
            moves |= {(lower, level) for lower in LEVELS if _rank(lower) < _rank(level)}
    return moves


# Cloud providers always leave the machine: a list that names one lets any later profile of it see the
# data, so each stands in for the profiles a user might add.
CLOUD_STANDINS = {f"any {name} profile": ProfileConfig(provider=name, model="any") for name in ("openai", "anthropic")}


def _seeing(providers: list[str] | None, profiles: dict[str, ProfileConfig]) -> set[str]:
    """The profiles (configured, and the cloud stand-ins) a class's provider list lets see its data."""
    return {name for name, profile in {**profiles, **CLOUD_STANDINS}.items()
            if provider_allowed(providers, profile.provider, local=profile.is_local)}


def class_loosenings(before: DataClassesConfig, after: DataClassesConfig,
                     profiles: dict[str, ProfileConfig]) -> Iterator[Finding]:
    """`profiles`: every profile of the merged configuration, judged as it stands after the layer."""
    old, new = _globs(before), _globs(after)
    if _rank(after.default) < _rank(before.default):
        yield ((("data_classes", "default"),),
               f"lowers the default data class ({before.default} → {after.default})")
    for level in LEVELS:
        for glob in sorted(old[level]):
            kept = [higher for higher in LEVELS[_rank(level):] if glob in new[higher]]
            if not kept:
                where = [other for other in LEVELS if glob in new[other]]
                move = f"moves '{glob}' from {level} to {where[0]}" if where else f"drops '{glob}' from {level}"
                yield (tuple(("data_classes", other, "paths") for other in [*where, level]),
                       f"{move}: files it matches become less sensitive")
    known = set().union(*old.values())
    for level in LEVELS[: _rank(before.default)]:
        for glob in sorted(new[level] - known):
            yield ((("data_classes", level, "paths"), ("data_classes", "default")),
                   f"classes '{glob}' as {level}, below the default class {before.default}")
    for was, now in sorted(transitions(before, after)):
        allowed = _seeing(getattr(before, was).providers, profiles)
        allowing = _seeing(getattr(after, now).providers, profiles)
        if allowing <= allowed:
            continue
        more = ", ".join(f"'{name}'" for name in sorted(allowing - allowed))
        moved = f"{was} data" if was == now else f"files that were {was} (now {now})"
        yield ((("data_classes", now, "providers"), ("data_classes", now, "paths"), ("data_classes", "default")),
               f"lets {more} see {moved}")
