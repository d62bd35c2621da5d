"""Is a URL on this machine, or on a host the organisation trusts? Used to tell local backends from
remote ones, by the egress guard, and to keep a project file from building a host name out of
environment variables.

"On this machine" is strict: the name `localhost` itself and literal loopback addresses. Other names
(`*.localhost`, `ip6-localhost`) may be answered by a DNS server, and a name lookup is itself a way
out (a token in `TOKEN.localhost` reaches whoever serves DNS).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from victor.config.keys import KeyPath
from victor.errors import ConfigError

LOOPBACK_NAME = "localhost"
_REFERENCE = re.compile(r"(?<!\$)\$\{[^}]*\}")
_URL_KEY = re.compile(r"(^|_)(url|host)$")


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == LOOPBACK_NAME:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """True for http(s)://localhost…, 127.0.0.0/8 and [::1]; unix sockets count as local."""
    if url.startswith(("unix:", "http+unix:")):
        return True
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    return host is not None and is_loopback_host(host)


_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


@dataclass(frozen=True)
class TrustedHost:
    """One `network.trusted_hosts` entry: a host name or an address range, on any port or on one."""

    name: str | None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None
    port: int | None

    def matches(self, host: str, port: object = None) -> bool:
        if self.port is not None and _port_number(port) != self.port:
            return False
        host = host.strip("[]").rstrip(".").lower()
        if self.name is not None:
            return host == self.name
        try:
            return ipaddress.ip_address(host) in self.network  # type: ignore[operator]
        except ValueError:
            return False


def parse_trusted_host(entry: str) -> TrustedHost:
    """`host`, `host:port`, `10.0.0.5`, `[fd00::5]:8000` or a CIDR like `10.20.0.0/16`; ValueError else."""
    text = entry.strip().lower()
    if "/" in text:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValueError(f"{entry!r} is not a host, host:port or CIDR (no scheme or path)") from None
        if network.prefixlen == 0:
            raise ValueError(f"{entry!r} would trust every address; name the organisation's ranges")
        return TrustedHost(None, network, None)
    host, port = text, None
    if text.startswith("[") and "]" in text:
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":") or None
    elif text.count(":") == 1:
        host, port = text.split(":")
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"{entry!r}: the port must be a number from 1 to 65535")
    number = int(port) if port else None
    try:
        return TrustedHost(None, ipaddress.ip_network(host), number)
    except ValueError:
        pass
    if not _HOST_NAME.fullmatch(host):
        raise ValueError(f"{entry!r} is not a host, host:port or CIDR (no scheme, path or wildcard)")
    return TrustedHost(host, None, number)


def is_trusted_host(host: str, port: object, trusted: tuple[str, ...] | list[str]) -> bool:
    return any(parse_trusted_host(entry).matches(host, port) for entry in trusted)


def is_inside_url(url: str, trusted: tuple[str, ...] | list[str] = ()) -> bool:
    """On this machine, or on a trusted host (and port: the scheme's default when the URL has none)."""
    if is_loopback_url(url):
        return True
    host, port = host_and_port(url)
    return host is not None and is_trusted_host(host, port, trusted)


def host_and_port(url: str) -> tuple[str | None, int | None]:
    """The URL's host and port, the scheme's default port when it names none."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    try:
        return parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None, None


def _port_number(port: object) -> int | None:
    if isinstance(port, bytes):
        port = port.decode(errors="replace")
    if isinstance(port, str) and port.isdigit():
        return int(port)
    return port if isinstance(port, int) else None


def uses_env_proxy(url: str) -> bool:
    """Whether an HTTP client for `url` may honour HTTP(S)_PROXY: never for a local endpoint, whose
    requests skip the secret guard and must not pass through anyone else's machine."""
    return not is_loopback_url(url)


def refuse_env_hosts(data: Any, where: Any, path: KeyPath = ()) -> None:
    """Raise ConfigError if any string in a project file's raw `data` takes the scheme, user info, host
    or port of a URL from `${VAR}`: the environment's values must never become host names there.
    `where(path)` locates a key path as `file:line`."""
    if isinstance(data, dict):
        for key, value in data.items():
            refuse_env_hosts(value, where, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            refuse_env_hosts(value, where, (*path, str(index)))
    elif isinstance(data, str) and _env_in_authority(data, url_key=_URL_KEY.search(_key_name(path)) is not None):
        dotted = ".".join(path)
        raise ConfigError(
            f"{where(path)}: '{dotted}' builds a URL's host from an environment variable; a project file may not "
            "(a lookup of that name would carry the variable's value off this machine)",
            hint=f"write the host literally in the project file, or set '{dotted}' in your own profiles.yaml",
        )


def _key_name(path: KeyPath) -> str:
    """The key a value sits under, past list indices (`base_url: [..]`)."""
    return next((part for part in reversed(path) if not part.isdigit()), "")


def _env_in_authority(text: str, *, url_key: bool) -> bool:
    """True when a `${…}` reference sits before the end of the URL's authority (`scheme://…/`)."""
    references = list(_REFERENCE.finditer(text))
    if not references:
        return False
    masked = _REFERENCE.sub(lambda match: "x" * len(match.group(0)), text)
    scheme = masked.find("://")
    if scheme < 0 and not url_key:
        return False
    start = scheme + 3 if scheme >= 0 else 0
    end = next((index for index in range(start, len(masked)) if masked[index] in "/?#"), len(masked))
    return references[0].start() < end
