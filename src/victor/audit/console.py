"""Terminal side of `victor audit`: one-line rendering of records, following a growing log, turning
a verify report into an error, and asking before a repair. Imported by the command only."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import typer

from victor.audit.chain import Hasher
from victor.audit.logfiles import chain_files
from victor.audit.records import RecordFilter, parse_lines, read_files
from victor.audit.verify import TornTail, VerifyReport
from victor.audit.writer import STANDARD_FIELDS
from victor.errors import AuditError, PolicyDenied

_VALUE_WIDTH = 80
_POLL_SECONDS = 0.25


def print_record(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(record, separators=(",", ":")))
        return
    status = "ok  " if record.get("success", True) else "FAIL"
    head = (
        f"{record.get('seq', '?'):>6}  {str(record.get('timestamp', ''))[:19]}  "
        f"{str(record.get('session_id', ''))[:8]:<8}  {str(record.get('action', '?')):<16} {status}"
    )
    details = " ".join(f"{key}={_short(value)}" for key, value in record.items() if key not in STANDARD_FIELDS)
    typer.echo(_printable(f"{head}  {details}".rstrip()))


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def _printable(text: str) -> str:
    """Escape control characters so a logged command cannot drive the terminal."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode() for char in text)


def record_filter(session: str | None, actions: list[str] | None, since: str | None) -> RecordFilter:
    from victor.audit.since import parse_since

    return RecordFilter(session=session, actions=tuple(actions or ()), since=parse_since(since) if since else None)


def follow_log(log: Path, emit: Callable[[dict[str, Any]], None], *, backlog: int) -> None:
    """Emit the last `backlog` records, then each record as it is appended, following the live file
    across rotation, until interrupted. The live file is opened first, so no record falls between."""
    stream = log.open("rb") if log.exists() else None
    records, pending = _complete_records(stream.read() if stream else b"")
    rotated = read_files([path for path in chain_files(log) if path != log])
    for record in deque(chain(rotated, records), maxlen=backlog) if backlog else ():
        emit(record)
    while True:
        sys.stdout.flush()
        chunk = stream.read() if stream else b""
        if chunk:
            records, pending = _complete_records(pending + chunk)
            for record in records:
                emit(record)
        elif _replaced(log, stream):
            successor = _successor(log, stream)
            if stream:
                stream.close()
            stream, pending = (successor.open("rb") if successor.exists() else None), b""
        else:
            time.sleep(_POLL_SECONDS)


def _complete_records(buffer: bytes) -> tuple[list[dict[str, Any]], bytes]:
    """The records in the complete lines of `buffer`, and the incomplete rest."""
    complete, newline, rest = buffer.rpartition(b"\n")
    return list(parse_lines(line + b"\n" for line in complete.split(b"\n") if newline)), rest


def _successor(log: Path, stream: BinaryIO | None) -> Path:
    """The chain file after the one `stream` has finished, even if several rotations went by."""
    files = chain_files(log)
    inodes = [path.stat().st_ino for path in files]
    if stream is not None and os.fstat(stream.fileno()).st_ino in inodes[:-1]:
        return files[inodes.index(os.fstat(stream.fileno()).st_ino) + 1]
    return log


def _replaced(log: Path, stream: BinaryIO | None) -> bool:
    try:
        return stream is None or os.stat(log).st_ino != os.fstat(stream.fileno()).st_ino
    except FileNotFoundError:
        return False


def raise_for(report: VerifyReport) -> None:
    """Turn a failed verification into an AuditError (exit 1) naming the first bad seq."""
    if report.problem:
        raise AuditError(
            f"audit log broken at {report.problem}",
            hint="records from this point on cannot be trusted; keep the file as evidence",
        )
    if report.torn:
        raise AuditError(
            f"the last line of {report.torn.file.name} is torn ({report.torn.length} bytes after seq "
            f"{report.last_seq}): a writer was killed mid-record; the {report.records} records before it are intact",
            hint="`victor audit repair` cuts the torn line off",
        )


def report_json(report: VerifyReport, hasher: Hasher) -> str:
    problem = report.problem
    torn = report.torn
    return json.dumps({
        "ok": report.ok, "records": report.records, "last_seq": report.last_seq, "alg": hasher.alg,
        "files": [str(path) for path in report.files],
        "problem": problem and {"seq": problem.seq, "file": str(problem.file), "line": problem.line,
                                "message": problem.message},
        "torn": torn and {"file": str(torn.file), "offset": torn.offset, "length": torn.length},
    })


def confirm_cut(torn: TornTail) -> None:
    """Ask before cutting; with no terminal to ask on, refuse (exit 4) rather than guess."""
    if not sys.stdin.isatty():
        raise PolicyDenied(
            f"not cutting {torn.length} torn bytes from {torn.file} without confirmation",
            hint="run it in a terminal, or pass --yes",
        )
    if not typer.confirm(f"Cut the {torn.length} torn bytes at the end of {torn.file}?"):
        raise PolicyDenied("repair declined; the log is unchanged")


def open_private_text(path: Path) -> TextIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")
