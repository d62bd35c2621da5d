"""Structural checks for formats that allow one beyond a regex: a JWT's header must decode to JSON, a
private key block must hold a key."""

from __future__ import annotations

import base64
import binascii
import json
import re

_KEY_BODY = re.compile(r"[A-Za-z0-9+/]{16}")


def is_jwt(value: str) -> bool:
    """True when the first dot-separated part is base64url JSON naming an algorithm or a type."""
    header = value.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (binascii.Error, ValueError):
        return False
    return isinstance(decoded, dict) and bool({"alg", "typ", "kid", "enc"} & set(decoded))


def has_key_body(block: str) -> bool:
    """True when a PEM block holds a run of base64 (16+ characters), not just its BEGIN/END markers
    around code or prose (`('-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----')`)."""
    return bool(_KEY_BODY.search(block))
