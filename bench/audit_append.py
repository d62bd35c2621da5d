"""Benchmark the audit writer: records/s with an fsync per record and batched, and the p50/p99
latency of one append, each against a bare `os.write` (+ fdatasync) of the same line measured in
the same run; then `spend()` (called per routed request) against parsing the whole log.
Goals (issue 4): p50 <= 1 ms per append, >= 2,000 records/s batched. The last row adds the rollback
witness (audit.anchor_path) to fsync=always.

It measures on the disk the audit log lives on (a scratch directory beside the audit log, or --dir),
prints that filesystem's type (statfs) and refuses tmpfs/ramfs, where fsync costs nothing.

Run: .venv/bin/python bench/audit_append.py [--records N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from victor import paths
from victor.audit import open_audit_log
from victor.audit.reports import spend
from victor.config.schema import AuditConfig

FIELDS = {
    "profile": "default", "provider": "ollama", "model": "qwen2.5-coder:7b", "location": "local", "task": "general",
    "input_tokens": 1234, "output_tokens": 321, "cost_usd": 0.0, "duration_ms": 850,
    "route": {"decision": "default", "reasons": ["task general is local", "no secrets in prompt"]},
    "prompt_chars": 4096,
}


# statfs(2) f_type magic numbers (linux/magic.h) of the filesystems a log is likely to sit on.
FILESYSTEMS = {
    0xEF53: "ext2/3/4", 0x58465342: "xfs", 0x9123683E: "btrfs", 0x2FC12FC1: "zfs", 0xF2F52010: "f2fs",
    0x794C7630: "overlayfs", 0x6969: "nfs", 0xFF534D42: "cifs", 0x01021994: "tmpfs", 0x858458F6: "ramfs",
}
IN_MEMORY = {"tmpfs", "ramfs"}


def filesystem_type(directory: Path) -> str:
    """The statfs(2) type of the filesystem holding `directory`: a name, or its magic number in hex."""
    buffer = ctypes.create_string_buffer(256)  # struct statfs; f_type is its first field, a long
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.statfs(os.fsencode(directory), buffer) != 0:
        raise OSError(ctypes.get_errno(), f"statfs {directory}")
    magic = ctypes.c_long.from_buffer(buffer).value & 0xFFFFFFFF
    return FILESYSTEMS.get(magic, hex(magic))


def varying(index: int) -> dict[str, object]:
    """Fields that differ in every real request, so no cache flatters the figures."""
    return {
        "prompt_sha256": hashlib.sha256(str(index).encode()).hexdigest(), "input_tokens": 1000 + index,
        "tool_calls": [{"name": "read_file", "args": {"path": f"src/module_{index}.py"}}],
        "files_accessed": [f"src/module_{index}.py"], "command": f"pytest tests/test_{index}.py -q",
    }


def time_appends(directory: Path, fsync: str, count: int, *, witness: bool = False) -> list[float]:
    name = f"{fsync}-witnessed" if witness else fsync
    anchor = str(directory / f"{name}.witness") if witness else None
    settings = AuditConfig(path=str(directory / f"{name}.log"), fsync=fsync, anchor_path=anchor)
    log = open_audit_log(settings, session_id="bench")
    log.record("session_start")  # warm up: redactor import, files opened
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        log.record("model_request", **{**FIELDS, **varying(len(latencies))})
        latencies.append(time.perf_counter() - start)
    log.close()
    return latencies


def time_bare_writes(directory: Path, line: bytes, count: int, sync: bool) -> list[float]:
    fd = os.open(directory / f"bare-{sync}.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        os.write(fd, line)
        if sync:
            os.fdatasync(fd)
        latencies.append(time.perf_counter() - start)
    os.close(fd)
    return latencies


def report(name: str, latencies: list[float], baseline: list[float]) -> None:
    rate, base_rate = len(latencies) / sum(latencies), len(baseline) / sum(baseline)
    p50, p99 = statistics.median(latencies), statistics.quantiles(latencies, n=100)[98]
    print(
        f"{name:<16} {rate:>9,.0f} records/s  p50 {p50 * 1e3:6.3f} ms  p99 {p99 * 1e3:6.3f} ms   "
        f"bare write: {base_rate:>9,.0f}/s p50 {statistics.median(baseline) * 1e3:6.3f} ms  "
        f"ratio {base_rate / rate:5.1f}x slower"
    )


def time_spend(directory: Path, count: int) -> None:
    """`spend()` runs before every routed request: its first call, a repeat, and a call after one
    more record, against parsing the whole log with json.loads."""
    log_file = directory / "never.log"
    with open_audit_log(AuditConfig(path=str(log_file), fsync="never"), session_id="spend") as log:
        for index in range(count):
            log.record("model_request", **{**FIELDS, **varying(index)})
    since = datetime.now(timezone.utc) - timedelta(days=1)
    timings = {}
    for label in ("first call", "repeat"):
        start = time.perf_counter()
        spend(since, path=log_file)
        timings[label] = time.perf_counter() - start
    with open_audit_log(AuditConfig(path=str(log_file), fsync="never"), session_id="spend") as log:
        log.record("model_request", **FIELDS)
    start = time.perf_counter()
    spend(since, path=log_file)
    timings["after 1 more"] = time.perf_counter() - start
    start = time.perf_counter()
    records = [json.loads(line) for line in log_file.read_bytes().splitlines()]
    baseline = time.perf_counter() - start
    figures = "  ".join(
        f"{label} {seconds * 1e3:7.2f} ms ({baseline / seconds:6.1f}x faster)" for label, seconds in timings.items()
    )
    print(f"spend() over {len(records):,} records: {figures}   json.loads of every line: {baseline * 1e3:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=None, help="where to measure (default: the audit log's directory)")
    options = parser.parse_args()
    count, where = options.records, options.dir or paths.audit_log_file().parent
    where.mkdir(parents=True, exist_ok=True)
    filesystem = filesystem_type(where)
    if filesystem in IN_MEMORY:
        sys.exit(f"audit_append: {where} is on {filesystem}, where fsync is free and the figures mean nothing; "
                 "pass --dir on the disk the audit log lives on")
    with tempfile.TemporaryDirectory(dir=where, prefix="audit-bench-") as tmp:
        directory = Path(tmp)
        time_appends(directory, "never", 1)
        line = (directory / "never.log").read_bytes().splitlines(keepends=True)[-1]
        print(f"{count} records of {len(line)} bytes each, in {directory} (filesystem: {filesystem})")
        report("fsync=always", time_appends(directory, "always", count), time_bare_writes(directory, line, count, True))
        report("always+witness", time_appends(directory, "always", count, witness=True),
               time_bare_writes(directory, line, count, True))
        report("fsync=batch", time_appends(directory, "batch", count), time_bare_writes(directory, line, count, False))
        report("fsync=never", time_appends(directory, "never", count), time_bare_writes(directory, line, count, False))
        time_spend(directory, count * 10)


if __name__ == "__main__":
    main()
