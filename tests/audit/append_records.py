"""A writer process for the concurrency and crash tests: appends records through the public API.

usage: append_records.py LOG COUNT SESSION [--fsync always|batch|never] [--payload BYTES (in 1 KiB strings)] [--forever]
"""

from __future__ import annotations

import argparse
import itertools

from victor.audit import open_audit_log
from victor.config.schema import AuditConfig


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("count", type=int)
    parser.add_argument("session")
    parser.add_argument("--fsync", default="always")
    parser.add_argument("--payload", type=int, default=0)
    parser.add_argument("--forever", action="store_true")
    args = parser.parse_args()
    log = open_audit_log(AuditConfig(path=args.log, fsync=args.fsync), session_id=args.session)
    payload = ["x" * 1024] * (args.payload // 1024)  # big records in cheap-to-redact pieces
    counter = itertools.count() if args.forever else range(args.count)
    for index in counter:
        log.record("tool_call", tool="run_shell", command=f"echo {index}", index=index, payload=payload)
    log.close()


if __name__ == "__main__":
    main()
