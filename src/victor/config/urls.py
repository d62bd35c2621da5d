"""Is a URL on this machine? Used to tell local backends from remote ones."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
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
    return bool(host) and is_loopback_host(host)
