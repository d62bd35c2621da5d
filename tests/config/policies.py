"""Random profile files for the tighten-only properties, and an independent judge of "looser": the
cloud endpoints each request can reach as README's routing section describes it (the router's own
file classifier, fallback chains followed until nothing new appears), every numeric limit, data
classes, secrets, audit and the other switches, computed from two merged configurations."""

from __future__ import annotations

import functools
import re
import typing
from pathlib import Path

from hypothesis import strategies as st

from victor.config import Config
from victor.config.schema import DataClass, ProviderName, TaskType
from victor.routing.data_classes import class_of

TASKS = typing.get_args(TaskType)
LEVELS = typing.get_args(DataClass)

# Profiles a user may define; the built-in ones are default (ollama), embedded and embedded-small (llama.cpp).
POOL = {
    "big": {"provider": "ollama", "model": "qwen2.5-coder:32b"},
    "lan": {"provider": "openai-compatible", "model": "q", "base_url": "http://127.0.0.1:8000/v1"},
    "production": {"provider": "anthropic", "model": "claude-sonnet-4-5"},
    "gpt": {"provider": "openai", "model": "gpt-4o-mini"},
    "remote": {"provider": "openai-compatible", "model": "m", "base_url": "https://llm.example.com/v1"},
}
BUILTIN = ["default", "embedded", "embedded-small"]
LOCAL = {"default", "embedded", "embedded-small", "big", "lan"}
PROVIDERS = ("ollama", "llamacpp", "openai", "openai-compatible", "anthropic")
GLOBS = ("**", "docs/**", "secrets/**", "*.pem", "**/.env*", "customers/**", "*.md", "src/*.py")
FILES = ["README.md", "docs/guide.md", "secrets/db.txt", "certs/server.pem", ".env", "app/.env.local",
         "customers/acme.csv", "src/app.py", "notes.txt"]
MIB = 1 << 20
SIZES = {"0": float("inf"), "1": 1, "1k": 1 << 10, "6m": 6 * MIB, "16m": 16 * MIB, "100m": 100 * MIB,
         "512m": 512 * MIB, "2g": 2 << 30, "64g": 64 << 30}
SANE_SIZES = ("16m", "100m", "512m", "2g", "64g", "0")
BASELINES = (".secrets.baseline", "sub/b.json", "../x.json", "/tmp/victor-x.json", ".git/config", ".GIT/x",
             "a/../../x.json", "./ok.json")


@functools.cache
def subset(items: tuple) -> st.SearchStrategy[list]:
    """Some of `items`, in order: one draw of a bit mask. Strategies are cached: building them anew for
    every example costs more than drawing from them."""
    return st.integers(0, (1 << len(items)) - 1).map(lambda mask: [x for i, x in enumerate(items) if mask >> i & 1])


@functools.cache
def one(items: tuple) -> st.SearchStrategy:
    return st.sampled_from(items)


@functools.cache
def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """A key that is absent (None) about half the time."""
    return st.one_of(st.none(), strategy)


@st.composite
def user_files(draw, complete: bool = False) -> dict:
    """A user's file; `complete`: an organisation's file that sets every key the judge below reads
    (nulls included), so that no layer above it may loosen anything it judges."""
    defined = list(POOL) if complete else draw(subset(tuple(POOL)))
    names = tuple(BUILTIN + defined)
    profiles = {name: {**POOL[name], "fallback": draw(subset(names)),
                       "sensitive_data": draw(one(("route_local", "redact", "block")))}
                for name in defined}
    if complete or draw(st.booleans()):
        profiles["default"] = {"fallback": draw(subset(names))}
    cloud_tasks = draw(subset(TASKS))
    data = {
        "default_profile": draw(one(names)),
        "profiles": profiles,
        "routing": {"local_tasks": draw(subset(TASKS)), "cloud_tasks": cloud_tasks,
                    "local_profile": draw(maybe(one(tuple(n for n in names if n in LOCAL)))),
                    "cloud_profile": draw(one(names)) if cloud_tasks else None},
        "offline_mode": draw(one((False, False, False, True))),
        "data_classes": {"default": draw(one(LEVELS)),
                         **{level: {"paths": draw(maybe(subset(GLOBS))), "providers": draw(maybe(subset(PROVIDERS)))}
                            for level in LEVELS}},
        "sandbox": {"memory": draw(one(SANE_SIZES)), "tmp_size": draw(one(SANE_SIZES)),
                    "cpus": draw(one((0.5, 2.0, 8.0))), "timeout_s": draw(one((30, 120))), "network": draw(st.booleans())},
        "secrets": {"exclude_paths": draw(subset(("tests/**", "*.lock", "vendor/")))},
        "audit": {"rotate_bytes": draw(one((MIB, 50 * MIB))), "fsync": draw(one(("always", "batch", "never")))},
        "budgets": {"daily_usd": draw(maybe(one((0, 5, 50)))), "alert_at": draw(one((0.5, 0.8)))},
    }
    if not complete:
        return _pruned(data)
    for name in ("embedded", "embedded-small"):
        profiles[name] = {"fallback": draw(subset(names))}
    for level in LEVELS:
        data["data_classes"][level]["paths"] = data["data_classes"][level]["paths"] or []
    data["sandbox"].update(backend="docker", pids_limit=256)
    data["secrets"]["baseline"] = ".secrets.baseline"
    data["audit"]["enabled"] = True
    data["approvals"] = {"mode": draw(one(("ask", "auto-edit")))}
    return data


def _settings(*keys: str, **values: tuple) -> st.SearchStrategy[dict]:
    """Some of these keys, each with one of its values."""
    return st.fixed_dictionaries({}, optional={key: one(values[key]) for key in keys})


FIXED_CHANGES = {
    "offline_mode": st.booleans(),
    "data_classes": st.fixed_dictionaries({}, optional={
        "default": one(LEVELS),
        **{level: st.fixed_dictionaries({}, optional={"paths": subset(GLOBS), "providers": subset(PROVIDERS)})
           for level in LEVELS}}),
    "sandbox": _settings("memory", "tmp_size", "cpus", "timeout_s", "pids_limit", "network",
                         memory=tuple(SIZES), tmp_size=tuple(SIZES), cpus=(1e-10, 0.001, 0.01, 0.5, 2.0, 64.0),
                         timeout_s=(0.001, 10, 600), pids_limit=(16, 256, 100000), network=(False, True)),
    "secrets": st.fixed_dictionaries({}, optional={"exclude_paths": subset(("tests/**", "*.lock", "vendor/", "*", "**")),
                                                   "baseline": one(BASELINES)}),
    "audit": _settings("rotate_bytes", "fsync", "enabled", rotate_bytes=(1, 1000, MIB, 50 * MIB, 500 * MIB),
                       fsync=("always", "batch", "never"), enabled=(False, True)),
    "budgets": _settings("daily_usd", "alert_at", daily_usd=(None, 0, 1, 5, 500), alert_at=(0.2, 0.8, 1.0)),
    "approvals": _settings("mode", mode=("ask", "auto-edit", "full-auto")),
}
CHANGE_KEYS = (*FIXED_CHANGES, "default_profile", "routing", "profiles")


@st.composite
def project_files(draw, user: dict) -> dict:
    """Random changes to the user's policy: some tighten, some loosen, some restate."""
    names = tuple(BUILTIN + [name for name in user["profiles"] if name in POOL])
    routing = user.get("routing", {})
    changes = {
        "default_profile": lambda: one(names),
        "routing": lambda: st.fixed_dictionaries({}, optional={
            "local_tasks": st.one_of(subset(tuple(routing.get("local_tasks", []))), st.just(list(TASKS))),
            "cloud_tasks": subset(tuple(routing.get("cloud_tasks", []))),
            "local_profile": one(tuple(n for n in names if n in LOCAL)), "cloud_profile": one(names)}),
        "profiles": lambda: st.dictionaries(one(tuple(POOL) + tuple(BUILTIN)), st.one_of(
            st.fixed_dictionaries({"fallback": subset(names)}),
            st.fixed_dictionaries({"sensitive_data": one(("block", "route_local", "redact"))}),
            st.sampled_from(list(POOL.values()))), max_size=2),
    }
    keys = draw(st.lists(one(CHANGE_KEYS), unique=True, min_size=1, max_size=3))
    return {key: draw(FIXED_CHANGES[key] if key in FIXED_CHANGES else changes[key]()) for key in keys}


def _pruned(data):
    if isinstance(data, dict):
        return {key: _pruned(value) for key, value in data.items() if value is not None}
    return data


# --- the independent judgement --------------------------------------------------------------------


def _size(text: str) -> float:
    return SIZES[text] if text in SIZES else float(re.fullmatch(r"\d+", text).group()) or float("inf")


def _allowed(config: Config, level: str) -> set[tuple[str, bool]] | None:
    """The (provider, stays on this machine) pairs that may see `level` data; None: any. `local` in a
    list stands for every provider on this machine."""
    providers = getattr(config.data_classes, level).providers
    if providers is None:
        return None
    every = typing.get_args(ProviderName)
    return {(name, True) for name in every if "local" in providers} | {
        (name, local) for name in providers if name != "local" for local in (True, False)}


def _sees(allowed: set[tuple[str, bool]] | None, profile) -> bool:  # noqa: ANN001 - a ProfileConfig
    return allowed is None or (profile.provider, profile.is_local) in allowed


def _local_profile(config: Config, allowed: set[str] | None) -> str | None:
    """The profile that plays "local": the start, then its fallback links in the order they are
    written, breadth first (the first local one wins, so the order matters), then any profile."""
    start = config.routing.local_profile or config.default_profile
    order = [start, *_links_in_order(config, start), *sorted(config.profiles)]
    return next((name for name in order if config.profiles[name].is_local
                 and _sees(allowed, config.profiles[name])), None)


def _links_in_order(config: Config, start: str) -> list[str]:
    order: list[str] = []
    pending = list(config.profiles[start].fallback)
    while pending:
        link = pending.pop(0)
        if link not in order and link != start:
            order.append(link)
            pending += config.profiles[link].fallback
    return order


def _closure(config: Config, seeds: set[str]) -> list[str]:
    """Fallback links followed until nothing new appears (seeds themselves excluded unless reached)."""
    reached: list[str] = []
    frontier = set(seeds)
    while frontier:
        new = {link for name in frontier for link in config.profiles[name].fallback} - set(reached)
        reached += sorted(new)
        frontier = new
    return reached


def cloud_ends(config: Config, route: tuple[str, str], level: str, secret: bool) -> set[tuple]:
    """The endpoints off this machine a request can end at, as README's routing section describes."""
    profiles = config.profiles
    if config.offline_mode or route[1] not in profiles and route[0] == "profile":
        return set()
    allowed = _allowed(config, level)
    ok = lambda name: _sees(allowed, profiles[name])  # noqa: E731
    routing = config.routing
    if route[0] == "profile":
        pick = route[1]
    elif route[1] in routing.cloud_tasks and routing.cloud_profile:
        pick = routing.cloud_profile
    elif route[1] in routing.local_tasks:
        pick = _local_profile(config, None)
    else:
        pick = config.default_profile
    if pick is None:
        return set()
    cloud_pick = not profiles[pick].is_local
    if secret:
        redacted = cloud_pick and profiles[pick].sensitive_data == "redact" and ok(pick)
        return {(pick, profiles[pick].provider, str(profiles[pick].base_url))} if redacted else set()
    seeds = {pick} if ok(pick) else set()
    if (cloud_pick or not ok(pick)) and not (cloud_pick and not ok(pick) and profiles[pick].sensitive_data == "block"):
        local = _local_profile(config, allowed)
        seeds |= {local} if local else set()
    ends = set(_closure(config, seeds)) | seeds
    return {(name, profiles[name].provider, str(profiles[name].base_url)) for name in ends
            if not profiles[name].is_local and ok(name)}


def looser_axes(before: Config, after: Config, root: Path) -> list[str]:
    """Every way `after` is looser than `before`; empty when it is not."""
    problems: list[str] = []

    def check(condition: bool, what: str) -> None:
        if not condition:
            problems.append(what)

    requests = [[]] + [[f] for f in FILES] + [[a, b] for a in FILES[:4] for b in FILES[4:]]
    moves = set()
    for files in requests:
        was = max((class_of(f, before.data_classes)[0] for f in files), key=LEVELS.index, default=before.data_classes.default)
        now = max((class_of(f, after.data_classes)[0] for f in files), key=LEVELS.index, default=after.data_classes.default)
        check(LEVELS.index(now) >= LEVELS.index(was), f"{files}: class {was} → {now}")
        profiles = {**before.profiles, **after.profiles}
        old_seen = {name for name, p in profiles.items() if _sees(_allowed(before, was), p)}
        new_seen = {name for name, p in profiles.items() if _sees(_allowed(after, now), p)}
        check(new_seen <= old_seen, f"{files}: providers")
        moves.add((was, now))
    routes = [("task", task) for task in TASKS] + [("profile", name) for name in after.profiles]
    answers: dict[tuple, set[tuple]] = {}

    def ends(config: Config, route: tuple[str, str], level: str, secret: bool) -> set[tuple]:
        key = (id(config), route, level, secret)
        if key not in answers:
            answers[key] = cloud_ends(config, route, level, secret)
        return answers[key]

    for was, now in moves:
        for route in routes:
            for secret in (False, True):
                extra = ends(after, route, now, secret) - ends(before, route, was, secret)
                check(not extra, f"{route} {was}→{now} secret={secret} reaches {extra}")
    for name, profile in after.profiles.items():
        if not profile.is_local:
            old = before.profiles.get(name)
            check(old is not None and old.model_dump(exclude={"sensitive_data", "fallback"})
                  == profile.model_dump(exclude={"sensitive_data", "fallback"}), f"cloud profile {name}")
    b, a = before.sandbox, after.sandbox
    for key in ("memory", "tmp_size"):
        check(_size(getattr(a, key)) <= _size(getattr(b, key)), f"sandbox.{key}")
        check(_size(getattr(a, key)) >= MIB, f"sandbox.{key} tiny")
    for key in ("cpus", "timeout_s", "pids_limit", "output_limit_bytes", "nofile_soft", "nofile_hard", "fsize_bytes"):
        check(getattr(a, key) <= getattr(b, key), f"sandbox.{key}")
    check(a.cpus >= 0.01 and a.timeout_s >= 1, "sandbox cpus/timeout tiny")
    check(a.network <= b.network and (a.backend == b.backend or a.backend == "docker"), "sandbox switches")
    check(after.offline_mode >= before.offline_mode, "offline_mode")
    inf = float("inf")
    check((after.budgets.daily_usd if after.budgets.daily_usd is not None else inf)
          <= (before.budgets.daily_usd if before.budgets.daily_usd is not None else inf), "budget")
    check(after.budgets.alert_at <= before.budgets.alert_at, "alert_at")
    check(set(after.secrets.exclude_paths) <= set(before.secrets.exclude_paths), "exclude_paths")
    baseline = after.secrets.baseline
    if baseline != before.secrets.baseline and baseline is not None:
        target = (root / baseline).resolve()
        check(target.is_relative_to(root.resolve()) and ".git" not in [p.lower() for p in target.relative_to(root.resolve()).parts],
              f"baseline {baseline}")
    ba, aa = before.audit, after.audit
    check(aa.enabled >= ba.enabled and aa.path == ba.path, "audit on/path")
    check(aa.rotate_bytes >= max(ba.rotate_bytes, MIB) or aa.rotate_bytes == ba.rotate_bytes, "rotate_bytes")
    fsync = ["always", "batch", "never"]
    check(fsync.index(aa.fsync) <= fsync.index(ba.fsync), "fsync")
    modes = ["ask", "auto-edit", "full-auto"]
    check(modes.index(after.approvals.mode) <= modes.index(before.approvals.mode), "approvals.mode")
    return problems
