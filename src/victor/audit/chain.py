"""The hash chain: canonical JSON of a record and its digest, SHA-256 or, with `VICTOR_AUDIT_KEY`
set, HMAC-SHA256 so that re-chaining a forged log needs the key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
KEY_ENV = "VICTOR_AUDIT_KEY"


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's hash covers: every field but `hash`, keys sorted, no whitespace."""
    body = {key: value for key, value in record.items() if key != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@dataclass(frozen=True)
class Hasher:
    """Digests records and head anchors; keyed (HMAC) when `key` is set."""

    key: bytes | None = None

    @property
    def alg(self) -> str:
        return "hmac-sha256" if self.key else "sha256"

    def digest(self, payload: bytes) -> str:
        if self.key:
            return hmac.new(self.key, payload, hashlib.sha256).hexdigest()
        return hashlib.sha256(payload).hexdigest()

    def seal(self, record: dict[str, Any]) -> dict[str, Any]:
        """Set `alg` and `hash` on `record` (in place) and return it."""
        record["alg"] = self.alg
        record["hash"] = self.digest(canonical(record))
        return record

    def matches(self, record: dict[str, Any]) -> bool:
        return hmac.compare_digest(str(record.get("hash", "")), self.digest(canonical(record)))

    def anchor_mac(self, seq: int, record_hash: str) -> str:
        """The MAC of a head anchor, so that moving the anchor back (to hide a truncation) needs the key."""
        return self.digest(f"head:{seq}:{record_hash}".encode())


def hasher_from_env(env: dict[str, str] | None = None) -> Hasher:
    key = (os.environ if env is None else env).get(KEY_ENV)
    return Hasher(key.encode() if key else None)
