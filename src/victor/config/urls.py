"""Is a URL on this machine? Used to tell local backends from remote ones, by the egress guard, and to
keep a project file from building a host name out of environment variables.

"On this machine" is strict: the name `localhost` itself and literal loopback addresses. Other names
(`*.localhost`, `ip6-localhost`) may be answered by a DNS server, and a name lookup is itself a way
out (a token in `TOKEN.localhost` reaches whoever serves DNS).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

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
    return bool(host) and is_loopback_host(host)


def uses_env_proxy(url: str) -> bool:
    """Whether an HTTP client for `url` may honour HTTP(S)_PROXY: never for a local endpoint, whose
    requests skip the secret guard and must not pass through anyone else's machine."""
    return not is_loopback_url(url)


def refuse_env_hosts(data: Any, where: Any, path: tuple[str, ...] = ()) -> None:
    """Raise ConfigError if any string in a project file's raw `data` takes the scheme, user info, host
    or port of a URL from `${VAR}`: the environment's values must never become host names there.
    `where(path)` locates a key path as `file:line`."""
    if isinstance(data, dict):
        for key, value in data.items():
            refuse_env_hosts(value, where, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            refuse_env_hosts(value, where, (*path, str(index)))
    elif isinstance(data, str) and _env_in_authority(data, url_key=bool(path and _URL_KEY.search(path[-1]))):
        dotted = ".".join(path)
        raise ConfigError(
            f"{where(path)}: '{dotted}' builds a URL's host from an environment variable; a project file may not "
            "(a lookup of that name would carry the variable's value off this machine)",
            hint=f"write the host literally in the project file, or set '{dotted}' in your own profiles.yaml",
        )


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
