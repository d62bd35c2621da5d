"""`verify`: walk every file of the chain in order and report the first record that breaks it,
a torn last line (a writer killed mid-record), or records cut off the end (behind the head anchor, or
behind the rollback witness of witness.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from victor.audit.chain import GENESIS, KEY_ENV, Hasher
from victor.audit.logfiles import chain_files, head_path, read_anchor
from victor.audit.witness import last_sighting


@dataclass(frozen=True)
class Problem:
    """The first place the chain breaks."""

    seq: int | None
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file.name} line {self.line}"
        return f"seq {self.seq}: {self.message} ({where})" if self.seq is not None else f"{where}: {self.message}"


@dataclass(frozen=True)
class TornTail:
    """An incomplete last line: `length` bytes from `offset` of `file`."""

    file: Path
    offset: int
    length: int


@dataclass
class VerifyReport:
    files: list[Path] = field(default_factory=list)
    records: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    problem: Problem | None = None
    torn: TornTail | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.torn is None


def verify(log: Path, hasher: Hasher, witness: Path | None = None) -> VerifyReport:
    """Check the chain, the head anchor and, given `witness` (audit.anchor_path), the rollback witness."""
    report = VerifyReport(files=chain_files(log))
    for index, path in enumerate(report.files):
        is_live = index == len(report.files) - 1
        if not _walk_file(path, hasher, report, is_live):
            return report
    if not report.torn:
        report.problem = _check_anchor(log, hasher, report)
    if witness is not None and report.problem is None:
        report.problem = _check_witness(log, witness, hasher, report)
    return report


def _walk_file(path: Path, hasher: Hasher, report: VerifyReport, is_live: bool) -> bool:
    """Check each line of one file; False once a problem or torn tail is found."""
    offset = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.endswith(b"\n"):
                if is_live:
                    report.torn = TornTail(path, offset, len(raw))
                else:
                    report.problem = Problem(report.last_seq + 1, path, number, "the file ends mid-record")
                return False
            message, record = _check_line(raw, hasher, report)
            if message:
                seq = record.get("seq") if isinstance(record.get("seq"), int) else report.last_seq + 1
                report.problem = Problem(seq, path, number, message)
                return False
            report.records += 1
            report.last_seq, report.last_hash = record["seq"], record["hash"]
            offset += len(raw)
    return True


def _check_line(raw: bytes, hasher: Hasher, report: VerifyReport) -> tuple[str | None, dict[str, Any]]:
    try:
        record = json.loads(raw)
    except ValueError:
        return "not a JSON record", {}
    if not isinstance(record, dict) or not {"seq", "hash", "prev_hash"} <= record.keys():
        return "not an audit record (no seq, hash or prev_hash)", {}
    if record.get("alg") != hasher.alg:
        return _alg_mismatch(str(record.get("alg")), hasher), record
    if not hasher.matches(record):
        return "its hash does not match its contents: the record was edited or forged", record
    expected = report.last_seq + 1
    if record["seq"] != expected:
        return f"expected seq {expected}: a record was deleted, inserted or reordered", record
    if record["prev_hash"] != report.last_hash:
        return "prev_hash does not match the previous record: the chain was broken or re-ordered", record
    return None, record


def _alg_mismatch(alg: str, hasher: Hasher) -> str:
    if alg == "hmac-sha256":
        return f"the record is signed with a key: set {KEY_ENV} to verify it"
    if hasher.key:
        return f"the record is not signed with {KEY_ENV}: it was forged or written without the key"
    return f"unknown hash algorithm '{alg}'"


def _check_anchor(log: Path, hasher: Hasher, report: VerifyReport) -> Problem | None:
    """The head anchor must point at a record in the chain: the log may run ahead of it, never behind."""
    anchor, head = read_anchor(log), head_path(log)
    if anchor is None:
        missing = "the head anchor is missing: records cut off the end would go unseen"
        return Problem(None, head, 1, missing) if report.records else None
    if anchor.seq > report.last_seq:
        return Problem(
            report.last_seq + 1, head, 1,
            f"the log ends at seq {report.last_seq} but was written up to seq {anchor.seq}: "
            "records were cut off the end",
        )
    if anchor.mac != hasher.anchor_mac(anchor.seq, anchor.hash):
        return Problem(anchor.seq, head, 1, "the head anchor's MAC is wrong: it was edited")
    if _hash_at(report, anchor.seq) != anchor.hash:
        return Problem(anchor.seq, head, 1, "the record the head anchor points at was replaced")
    return None


def _check_witness(log: Path, witness: Path, hasher: Hasher, report: VerifyReport) -> Problem | None:
    """The log must reach the highest seq the witness saw, with the hash the witness saw there."""
    sighting = last_sighting(witness, log, hasher)
    if isinstance(sighting, str):
        return Problem(None, witness, 1, sighting) if report.records else None
    if sighting is None:
        return None
    if sighting.seq > report.last_seq:
        return Problem(
            report.last_seq + 1, witness, sighting.line,
            f"the log ends at seq {report.last_seq} but the witness saw seq {sighting.seq} written: "
            "records were cut off the end (a rollback)",
        )
    if _hash_at(report, sighting.seq) != sighting.hash:
        return Problem(sighting.seq, witness, sighting.line,
                       "the record is not the one the witness saw: the log was rolled back and rewritten")
    return None


def _hash_at(report: VerifyReport, seq: int) -> str | None:
    """The hash of record `seq`: the walk keeps only the last, so re-read when the anchor is behind."""
    if seq == report.last_seq:
        return report.last_hash
    if seq == 0:
        return GENESIS
    for path in reversed(report.files):
        with path.open("rb") as stream:
            for raw in stream:
                record = json.loads(raw)
                if record["seq"] == seq:
                    return str(record["hash"])
    return None
