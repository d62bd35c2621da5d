"""Which profiles off this machine a request can reach under a configuration, and through which keys.

This is the router's policy (`victor.routing.router`) read as a reachability question, for one
route (a task type, or a profile asked for by name), one data class and whether the request holds a
secret: the task rule's pick, then offline mode, the sensitive-data policy, the data class's provider
list, a budget's switch to the local profile, and every fallback chain followed transitively (a
health fallback or a failed request may take any usable link). Environment variables and health are
left out, so the answer is what can be reached at all.

Each reachable cloud profile comes with its provenance: the key paths that decided it, in the order
the router reads them, so a refusal can point at the line that made it reachable.
"""

from __future__ import annotations

import typing

from victor.config.keys import KeyPath
from victor.config.schema import Config, DataClass, TaskType, provider_allowed

TASKS: tuple[str, ...] = typing.get_args(TaskType)
LEVELS: tuple[str, ...] = typing.get_args(DataClass)

Route = tuple[str, str]  # ("task", TASK) or ("profile", NAME)
Endpoint = tuple[str, str, tuple[str, ...]]  # (profile name, provider, base URLs)
Provenance = tuple[KeyPath, ...]


def routes(config: Config) -> list[Route]:
    return [("task", task) for task in TASKS] + [("profile", name) for name in sorted(config.profiles)]


def describe(route: Route) -> str:
    return f"{route[1]} requests" if route[0] == "task" else f"requests for --profile {route[1]}"


class Reach:
    """The reachability questions for one configuration, with the answers that repeat cached."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.profiles = config.profiles
        self.local = {name: profile.is_local for name, profile in config.profiles.items()}
        self._chains: dict[str, list[tuple[str, Provenance]]] = {}
        self._local_profiles: dict[tuple[str, ...] | None, str | None] = {}

    def cloud(self, route: Route, level: str, sensitive: bool) -> dict[Endpoint, Provenance]:
        """Every profile off this machine that `route` with `level` data can end at."""
        if self.config.offline_mode or (route[0] == "profile" and route[1] not in self.profiles):
            return {}
        providers = getattr(self.config.data_classes, level).providers
        class_key: KeyPath = ("data_classes", level, "providers")

        def allowed(name: str) -> bool:
            return provider_allowed(providers, self.profiles[name].provider, local=self.local[name])

        pick, why = self._candidate(route)
        if pick is None:
            return {}
        found: dict[Endpoint, Provenance] = {}
        starts: list[tuple[str | None, Provenance]] = []
        to_local = self.local_profile(providers)
        if self.local[pick]:
            starts.append((pick, why) if allowed(pick) else (to_local, (*why, class_key)))
        elif sensitive:
            policy_key = ("profiles", pick, "sensitive_data")
            if self.profiles[pick].sensitive_data == "redact" and allowed(pick):
                found[self._endpoint(pick)] = (*why, policy_key, class_key, *_identity(pick))
            return found  # a fallback never takes a request holding a secret off this machine
        elif allowed(pick):
            found[self._endpoint(pick)] = (*why, class_key, *_identity(pick))
            starts += [(pick, why), (to_local, (*why, ("budgets", "on_exceeded")))]
        elif self.profiles[pick].sensitive_data != "block":
            starts.append((to_local, (*why, class_key)))
        if sensitive:
            return found
        for start, trail in starts:
            for link, hops in self.chain(start) if start is not None else ():
                if not self.local[link] and allowed(link):
                    found.setdefault(self._endpoint(link), (*trail, *hops, class_key, *_identity(link)))
        return found

    def chain(self, name: str) -> list[tuple[str, Provenance]]:
        """Every profile reachable through fallback links from `name` (breadth first, without `name`),
        with the fallback keys followed to get there."""
        if name not in self._chains:
            links: list[tuple[str, Provenance]] = []
            seen = {name}
            pending: list[tuple[str, Provenance]] = [(name, ())]
            while pending:
                current, hops = pending.pop(0)
                step = (*hops, ("profiles", current, "fallback"))
                for link in self.profiles[current].fallback:
                    if link in self.profiles and link not in seen:
                        seen.add(link)
                        links.append((link, step))
                        pending.append((link, step))
            self._chains[name] = links
        return self._chains[name]

    def local_profile(self, providers: list[str] | None) -> str | None:
        """The profile that plays "local" (`Router.local_profile`), or None when there is none."""
        key = None if providers is None else tuple(providers)
        if key not in self._local_profiles:
            start = self.config.routing.local_profile or self.config.default_profile
            order = [start, *(link for link, _ in self.chain(start)), *sorted(self.profiles)] \
                if start in self.profiles else []
            self._local_profiles[key] = next(
                (name for name in order
                 if self.local[name] and provider_allowed(providers, self.profiles[name].provider, local=True)), None)
        return self._local_profiles[key]

    def _candidate(self, route: Route) -> tuple[str | None, Provenance]:
        """The task rule's pick (`Router._task_rule`) and the keys it read; None when the router refuses
        (a local task with no local profile)."""
        kind, value = route
        if kind == "profile":
            return value, ()
        routing = self.config.routing
        cloud_rule: Provenance = (("routing", "cloud_tasks"), ("routing", "cloud_profile"))
        if value in routing.cloud_tasks and routing.cloud_profile:
            return routing.cloud_profile, cloud_rule
        if value in routing.local_tasks:
            local_rule = (*cloud_rule, ("routing", "local_tasks"), ("routing", "local_profile"), ("default_profile",))
            return self.local_profile(None), local_rule
        return self.config.default_profile, (*cloud_rule, ("routing", "local_tasks"), ("default_profile",))

    def _endpoint(self, name: str) -> Endpoint:
        url = self.profiles[name].base_url  # one URL, several (a fleet) or none
        return name, self.profiles[name].provider, tuple([url] if isinstance(url, str) else url or ())


def _identity(name: str) -> Provenance:
    return ("profiles", name, "provider"), ("profiles", name, "base_url")
