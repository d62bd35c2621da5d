"""`${VAR}` and `${VAR:-default}` expansion inside any string of a profile file."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand(text: str, env: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """Return `text` with references replaced, and the names of variables that were unset.

    An unset or empty variable with no default expands to the empty string and is reported, so the caller
    decides whether that is an error now (global settings) or only when a profile is used.
    `$${VAR}` is a literal `${VAR}`.
    """
    env = os.environ if env is None else env
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        start = match.start()
        if start > 0 and text[start - 1] == "$":
            return match.group(0)
        if env.get(name):
            return env[name]
        if default is not None:
            return default
        missing.append(name)
        return ""

    expanded = _REFERENCE.sub(substitute, text).replace("$${", "${")
    return expanded, missing
