"""Benchmark the audit writer: records/s with an fsync per record and batched, and the p50/p99
latency of one append, each against a bare `os.write` (+ fdatasync) of the same line measured in
the same run; then `spend()` (called per routed request) against parsing the whole log.
Goals (issue 4): p50 <= 1 ms per append, >= 2,000 records/s batched.

Run: .venv/bin/python bench/audit_append.py [--records N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from victor.audit import open_audit_log
from victor.audit.reports import spend
from victor.config.schema import AuditConfig

FIELDS = {
    "profile": "default", "provider": "ollama", "model": "qwen2.5-coder:7b", "location": "local", "task": "general",
    "input_tokens": 1234, "output_tokens": 321, "cost_usd": 0.0, "duration_ms": 850,
    "route": {"decision": "default", "reasons": ["task general is local", "no secrets in prompt"]},
    "prompt_chars": 4096,
}


def varying(index: int) -> dict[str, object]:
    """Fields that differ in every real request, so no cache flatters the figures."""
    return {
        "prompt_sha256": hashlib.sha256(str(index).encode()).hexdigest(), "input_tokens": 1000 + index,
        "tool_calls": [{"name": "read_file", "args": {"path": f"src/module_{index}.py"}}],
        "files_accessed": [f"src/module_{index}.py"], "command": f"pytest tests/test_{index}.py -q",
    }


def time_appends(directory: Path, fsync: str, count: int) -> list[float]:
    log = open_audit_log(AuditConfig(path=str(directory / f"{fsync}.log"), fsync=fsync), session_id="bench")
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
    count = parser.parse_args().records
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        time_appends(directory, "never", 1)
        line = (directory / "never.log").read_bytes().splitlines(keepends=True)[-1]
        print(f"{count} records of {len(line)} bytes each, in {directory}")
        report("fsync=always", time_appends(directory, "always", count), time_bare_writes(directory, line, count, True))
        report("fsync=batch", time_appends(directory, "batch", count), time_bare_writes(directory, line, count, False))
        report("fsync=never", time_appends(directory, "never", count), time_bare_writes(directory, line, count, False))
        time_spend(directory, count * 10)


if __name__ == "__main__":
    main()
