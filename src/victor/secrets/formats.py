"""Structural checks for formats that allow one beyond a regex: a JWT's header must decode to JSON."""

from __future__ import annotations

import base64
import binascii
import json


def is_jwt(value: str) -> bool:
    """True when the first dot-separated part is base64url JSON naming an algorithm or a type."""
    header = value.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (binascii.Error, ValueError):
        return False
    return isinstance(decoded, dict) and bool({"alg", "typ", "kid", "enc"} & set(decoded))
