"""The writer: `open_audit_log(settings, session_id=…)` and `AuditLog.record(action, **fields)`;
`AuditLog` is the `AuditSink` (sink.py) the session hands down.

Each record is appended under an exclusive flock on the head file: read the chain's tip, seal the
record onto it, one O_APPEND write, fsync per `audit.fsync`, then move the head anchor and, with
`audit.anchor_path` set, append to the rollback witness (witness.py). A torn tail left by a writer
killed mid-write is cut off first and the cut is itself put on record.
"""

from __future__ import annotations

import atexit
import fcntl
import getpass
import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from victor import __version__
from victor.audit import reports
from victor.audit.chain import GENESIS, Hasher, hasher_from_env
from victor.audit.logfiles import Anchor, chain_files, head_path, log_path, next_rotated_name, read_tail, write_anchor
from victor.audit.scrub import redactor, scrub
from victor.audit.witness import open_witness, witness_line, witness_path
from victor.errors import AuditError

if TYPE_CHECKING:
    from victor.config.schema import AuditConfig

STANDARD_FIELDS = frozenset(
    {"seq", "timestamp", "action", "success", "session_id", "user", "host", "victor_version",
     "alg", "prev_hash", "hash"}
)
ANCHOR_LOST = {
    "action": "audit_anchor_lost", "success": False,
    "reason": "the head anchor was missing; records cut off the end before now would go unseen",
}
BATCH_RECORDS = 256
BATCH_SECONDS = 0.5
_sync = getattr(os, "fdatasync", os.fsync)


@dataclass(frozen=True)
class _Tip:
    """The last record of the chain and the state of the live file just after it."""

    inode: int
    size: int
    seq: int
    hash: str


def open_audit_log(settings: AuditConfig, *, session_id: str, user: str | None = None) -> AuditLog:
    """The session's audit log; with `settings.enabled` false, one whose `record` does nothing."""
    path = log_path(settings) if settings.enabled else None
    return AuditLog(path, settings, session_id=session_id, user=user)


class AuditLog:
    """An append-only, hash-chained JSONL audit log shared safely by concurrent processes."""

    def __init__(
        self, path: Path | None, settings: AuditConfig, *, session_id: str, user: str | None = None,
        hasher: Hasher | None = None,
    ) -> None:
        self.path = path
        self.settings = settings
        self.session_id = session_id
        self.user = user or settings.user or os.environ.get("VICTOR_USER") or _current_user()
        self._hasher = hasher or hasher_from_env()
        self._host = socket.gethostname()
        self._redact: Callable[[str], str] | None = None
        self._log_fd: int | None = None
        self._head_fd: int | None = None
        self._witness = witness_path(settings.anchor_path)
        self._witness_fd: int | None = None
        self._tip: _Tip | None = None
        self._unsynced = 0
        self._last_sync = time.monotonic()
        self._thread_lock = threading.Lock()
        if path is not None:
            atexit.register(self.close)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def record(self, action: str, *, success: bool = True, **fields: Any) -> None:
        """Append one record; every string in it passes through the secret redactor first."""
        if self.path is None:
            return
        reserved = STANDARD_FIELDS & fields.keys()
        if reserved:
            raise AuditError(f"audit field(s) {', '.join(sorted(reserved))} are set by the log itself")
        redact = self._redactor()
        body = {"action": redact(action), "success": bool(success), **scrub(fields, redact)}
        try:
            with self._locked():
                self._append(body)
        except OSError as exc:
            raise AuditError(
                f"cannot write the audit log {self.path}: {exc.strerror or exc}",
                hint="check the disk and permissions, or set VICTOR_AUDIT_PATH / audit.path",
            ) from None

    def prompt_fields(self, text: str) -> dict[str, Any]:
        """A prompt's SHA-256 and size; its redacted text too when `audit.include_prompts` is on."""
        fields: dict[str, Any] = {"prompt_sha256": hashlib.sha256(text.encode()).hexdigest(), "prompt_chars": len(text)}
        if self.settings.include_prompts:
            fields["prompt"] = self._redactor()(text)
        return fields

    def spend(self, since: datetime, *, profile: str | None = None) -> float:
        """USD spent on model requests at or after `since`, for one profile or all: counted from the
        configured log even when this log records nothing (`audit.enabled: false`)."""
        return reports.spend(since, profile=profile, path=self.path or log_path(self.settings))

    def close(self) -> None:
        """Flush a pending batch to disk and release the files."""
        with self._thread_lock:
            if self._log_fd is not None:
                if self._unsynced:
                    _sync(self._log_fd)
                os.close(self._log_fd)
            for fd in (self._head_fd, self._witness_fd):
                if fd is not None:
                    os.close(fd)
            self._log_fd = self._head_fd = self._witness_fd = None
            self._tip, self._unsynced = None, 0

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- inside the lock -------------------------------------------------------------------------

    @property
    def _file(self) -> Path:
        """The live file: the methods under the lock run only for an enabled log."""
        assert self.path is not None
        return self.path

    @property
    def _head(self) -> int:
        """The head file's descriptor, opened by `_locked`."""
        assert self._head_fd is not None
        return self._head_fd

    def _append(self, body: dict[str, Any]) -> None:
        fd = self._open_live_file()
        tip, torn_bytes = self._chain_tip(fd)
        notes = [self._cut_torn_tail(fd, tip.size, torn_bytes)] if torn_bytes else []
        if os.fstat(self._head).st_size == 0:
            self._move_anchor(tip.seq, tip.hash)  # a fresh head: a crash before its first move is no gap
            if tip.seq:
                notes.append(ANCHOR_LOST)  # a head gone from under existing records goes on record
        for note in notes:
            tip = self._write(tip, note)
        self._tip = self._write(tip, body)

    @staticmethod
    def _cut_torn_tail(fd: int, size: int, torn_bytes: int) -> dict[str, Any]:
        """Cut a fragment left by a writer killed mid-record; return the record that says so."""
        fragment = os.pread(fd, torn_bytes, size)
        os.ftruncate(fd, size)
        return {
            "action": "audit_recovered", "success": True, "dropped_bytes": torn_bytes,
            "dropped_sha256": hashlib.sha256(fragment).hexdigest(),
            "reason": "a writer stopped mid-record; its torn tail was cut off",
        }

    def _move_anchor(self, seq: int, record_hash: str) -> None:
        write_anchor(self._head, Anchor(seq, record_hash, self._hasher.anchor_mac(seq, record_hash)))

    def _write(self, tip: _Tip, body: dict[str, Any]) -> _Tip:
        record = {
            "seq": tip.seq + 1,
            "timestamp": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
            "session_id": self.session_id, "user": self.user, "host": self._host, "victor_version": __version__,
            **body,
            "prev_hash": tip.hash,
        }
        self._hasher.seal(record)
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        if tip.size and tip.size + len(line) > self.settings.rotate_bytes:
            tip = self._rotate(tip)
        fd = self._log_fd
        assert fd is not None
        if os.write(fd, line) != len(line):
            raise AuditError(f"short write to the audit log {self._file}", hint="is the disk full?")
        self._sync_per_policy(fd)
        self._move_anchor(record["seq"], record["hash"])
        if self._witness_fd is not None:
            os.write(self._witness_fd, witness_line(self._file, record["seq"], record["hash"], self._hasher))
        return _Tip(tip.inode, tip.size + len(line), record["seq"], record["hash"])

    def _chain_tip(self, fd: int) -> tuple[_Tip, int]:
        """The chain's last record and the length of a torn fragment after it in the live file."""
        stat = os.fstat(fd)
        cached = self._tip
        if cached and (cached.inode, cached.size) == (stat.st_ino, stat.st_size):
            return cached, 0
        tail = read_tail(fd, stat.st_size)
        size = stat.st_size - tail.torn_bytes
        if tail.last_line is not None:
            seq, digest = _seq_and_hash(tail.last_line, self._file)
        else:
            seq, digest = self._tip_of_rotated_files()
        return _Tip(stat.st_ino, size, seq, digest), tail.torn_bytes

    def _tip_of_rotated_files(self) -> tuple[int, str]:
        rotated = [path for path in chain_files(self._file) if path != self._file]
        if not rotated:
            return 0, GENESIS
        fd = os.open(rotated[-1], os.O_RDONLY)
        try:
            tail = read_tail(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
        if tail.last_line is None:
            raise AuditError(f"the rotated audit file {rotated[-1]} holds no record", hint="run `victor audit verify`")
        return _seq_and_hash(tail.last_line, rotated[-1])

    def _rotate(self, tip: _Tip) -> _Tip:
        old_fd = self._log_fd
        assert old_fd is not None  # _write rotates the file it has open
        os.rename(self._file, next_rotated_name(self._file))
        if self._unsynced:
            _sync(old_fd)
        os.close(old_fd)
        self._log_fd, self._unsynced = None, 0
        fd = self._open_live_file()
        return _Tip(os.fstat(fd).st_ino, 0, tip.seq, tip.hash)

    def _sync_per_policy(self, fd: int) -> None:
        mode = self.settings.fsync
        if mode == "never":
            return
        self._unsynced += 1
        now = time.monotonic()
        if mode == "always" or self._unsynced >= BATCH_RECORDS or now - self._last_sync >= BATCH_SECONDS:
            _sync(fd)
            self._unsynced, self._last_sync = 0, now

    # -- files and lock --------------------------------------------------------------------------

    def _open_live_file(self) -> int:
        """The live file's descriptor, reopened when another process rotated or replaced it."""
        if self._log_fd is not None:
            try:
                if os.stat(self._file).st_ino == os.fstat(self._log_fd).st_ino:
                    return self._log_fd
            except FileNotFoundError:
                pass
            if self._unsynced:
                _sync(self._log_fd)
            os.close(self._log_fd)
            self._log_fd, self._tip, self._unsynced = None, None, 0
        self._log_fd = _open_private(self._file, os.O_RDWR | os.O_APPEND)
        return self._log_fd

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Exclusive against other threads (flock is per open file, not per thread) and processes."""
        with self._thread_lock:
            if self._head_fd is None:
                self._file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._head_fd = _open_private(head_path(self._file), os.O_RDWR)
            if self._witness is not None and self._witness_fd is None:
                self._witness_fd = open_witness(self._witness)
            fcntl.flock(self._head, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._head, fcntl.LOCK_UN)

    def _redactor(self) -> Callable[[str], str]:
        if self._redact is None:
            self._redact = redactor()
        return self._redact


def _open_private(path: Path, flags: int) -> int:
    """Open (creating) a file readable by its owner only."""
    fd = os.open(path, flags | os.O_CREAT | os.O_CLOEXEC, 0o600)
    if os.fstat(fd).st_mode & 0o077:
        os.fchmod(fd, 0o600)
    return fd


def _seq_and_hash(line: bytes, where: Path) -> tuple[int, str]:
    try:
        record = json.loads(line)
        return int(record["seq"]), str(record["hash"])
    except (ValueError, KeyError, TypeError):
        raise AuditError(
            f"the last record of {where} is unreadable, so a new one cannot be chained to it",
            hint="run `victor audit verify` to see what happened to the log",
        ) from None


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return str(os.getuid())
