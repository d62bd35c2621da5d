"""The rollback witness: a second record of how far the log was written, kept where whoever rolls the
log back cannot rewrite it.

The head anchor (`audit.log.head`) lives beside the log, so someone who can write the log can save
it, let Victor write more, cut the log back and restore the old anchor: the chain and the anchor then
agree again. `audit.anchor_path` (settable only in the organisation's or the user's profile file)
names an append-only file outside the workspace; each record appends `{"log", "seq", "hash", "mac"}`
to it. Made append-only by the organisation (`chattr +a`, or owned by another account with the
group allowed to append), it cannot be cut back, and an old line appended after newer ones shows as
a seq going backwards. `verify` requires the log to reach the highest seq the witness saw, with
the same hash there.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from victor.audit.chain import Hasher
from victor.errors import AuditError


@dataclass(frozen=True)
class Sighting:
    """The witness's last word on one log: the highest seq, its hash, and the witness line it is on."""

    seq: int
    hash: str
    line: int


def witness_path(anchor_path: str | None) -> Path | None:
    return Path(anchor_path).expanduser() if anchor_path else None


def open_witness(path: Path) -> int:
    """Open the witness for appending only (an append-only file refuses any other mode)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise AuditError(
            f"cannot open the audit witness {path} (audit.anchor_path): {exc.strerror or exc}",
            hint="the organisation's or your profile file names it; check that you may append to it",
        ) from None


def witness_line(log: Path, seq: int, record_hash: str, hasher: Hasher) -> bytes:
    mac = hasher.anchor_mac(seq, record_hash)
    return (json.dumps({"log": str(log.resolve()), "seq": seq, "hash": record_hash, "mac": mac}) + "\n").encode()


def last_sighting(witness: Path, log: Path, hasher: Hasher) -> Sighting | str | None:
    """The highest seq the witness saw for `log`; a message when the witness itself shows tampering;
    None when it has seen no record of `log`."""
    target, best = str(log.resolve()), None
    try:
        stream = witness.open("rb")
    except FileNotFoundError:
        return f"the witness {witness} (audit.anchor_path) is missing"
    with stream:
        for number, raw in enumerate(stream, start=1):
            entry = _parse(raw)
            if entry is None or entry[0] != target:
                continue  # another log's, or a fragment: lines can be added, never taken away
            _, seq, record_hash, mac = entry
            if mac != hasher.anchor_mac(seq, record_hash):
                return f"line {number} of the witness {witness} has a wrong MAC: it was forged"
            if best is not None and seq <= best.seq:
                return (f"the witness {witness} went back from seq {best.seq} to seq {seq} at line {number}: "
                        "the log was rolled back")
            best = Sighting(seq, record_hash, number)
    return best


def _parse(raw: bytes) -> tuple[str, int, str, str] | None:
    """A witness line; one that follows a fragment (a writer stopped mid-line) is read after it."""
    start = raw.rfind(b'{"log"')
    try:
        entry = json.loads(raw[max(start, 0):])
        return str(entry["log"]), int(entry["seq"]), str(entry["hash"]), str(entry["mac"])
    except (ValueError, KeyError, TypeError):
        return None
