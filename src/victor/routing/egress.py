"""The in-process egress guard: once installed, any attempt to reach past loopback raises
PolicyDenied, whoever makes it (our code, an SDK, telemetry, an update check in a dependency).

It is a `sys.addaudithook` hook on the socket audit events (PEP 578): `socket.connect`,
`socket.sendto`, `socket.sendmsg` (the destination address) and the name lookups
`socket.getaddrinfo`, `socket.gethostbyname[_ex]`, `socket.gethostbyaddr` (so not even a DNS query
for a remote name leaves). Unix sockets, literal loopback addresses and the name `localhost` itself
are allowed (config/urls.py), and this machine's own host name, which no project file can choose.
So are the organisation's `network.trusted_hosts` (host, host:port or CIDR): a lookup of a trusted
name, and a connect to an address that a trusted name resolved to (the guard resolves it itself, once
per lookup, to learn the addresses); everything else stays refused.
`TOKEN.localhost` is refused: a resolver may ask a DNS server for it, and the query carries TOKEN.
Audit hooks cannot be removed, so installing is once per process and idempotent.

`VICTOR_EGRESS_LOG=FILE`: each refused attempt is also appended to FILE (the test suite uses it to
report connects that a caller swallowed).
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from victor.errors import PolicyDenied

if TYPE_CHECKING:
    from victor.config.urls import TrustedHost

_ADDRESS_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
_LOOKUP_EVENTS = frozenset(
    {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"}
)
_installed = False
_trusted: tuple[TrustedHost, ...] = ()  # parsed network.trusted_hosts (config/urls.py TrustedHost)
_resolved: set[tuple[str, int | None]] = set()  # (address, port or None) that trusted names resolved to
_resolving = threading.local()


def install_egress_guard(trusted_hosts: Sequence[str] = ()) -> None:
    """Refuse, from now on in this process, every network connection that would leave loopback or
    the `trusted_hosts` (the configuration's `network.trusted_hosts`, replacing any given before)."""
    global _installed, _trusted
    from victor.config.urls import parse_trusted_host

    _trusted = tuple(parse_trusted_host(entry) for entry in trusted_hosts)
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def egress_guard_installed() -> bool:
    return _installed


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not event.startswith("socket."):
        return
    if event in _ADDRESS_EVENTS:
        sock, address = args[0], args[-1]
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address is not None:
            _check_host(str(address[0]), event, address[1])
    elif event in _LOOKUP_EVENTS and args and args[0] is not None:
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
        _check_host(host, event, args[1] if event == "socket.getaddrinfo" else None)


def _check_host(host: str, event: str, port: object) -> None:
    from victor.config.urls import is_loopback_host  # here, so installing the guard stays cheap

    if not host or is_loopback_host(host) or host == socket.gethostname():
        return
    trusted = next((entry for entry in _trusted if entry.matches(host, port)), None)
    if trusted is not None:
        if event in _LOOKUP_EVENTS and trusted.name is not None:
            _learn_addresses(host, port, trusted.port)
        return
    if any(address == host and allowed in (None, port) for address, allowed in _resolved):
        return
    target = f"{host}:{port}" if port is not None else host
    _report(f"{event} {target}")
    raise PolicyDenied(
        f"offline mode: refused a network connection to {target} (only loopback "
        f"{'and network.trusted_hosts are' if _trusted else 'is'} allowed)",
        hint="turn offline mode off (offline_mode: false, no --offline, VICTOR_OFFLINE unset) to allow it, or "
             "add the host to network.trusted_hosts in your own or the organisation's profiles.yaml",
    )


def _learn_addresses(name: str, port: object, allowed_port: int | None) -> None:
    """Resolve a trusted name (the nested lookup passes this hook as trusted) and let its addresses in."""
    if getattr(_resolving, "active", False):
        return
    _resolving.active = True
    try:
        lookup_port = port if isinstance(port, (str, bytes, int)) else None  # as the lookup passed it
        for *_, address in socket.getaddrinfo(name, lookup_port):
            _resolved.add((str(address[0]), allowed_port))
    except OSError:
        pass  # the caller's own lookup reports it
    finally:
        _resolving.active = False


def _report(line: str) -> None:
    log = os.environ.get("VICTOR_EGRESS_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
