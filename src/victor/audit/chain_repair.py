"""`repair`: cut off a torn last line, the one damage a crash mid-write can leave. Anything else is
tampering or corruption, which repair refuses to paper over. Runs under the writers' lock."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from victor.audit.chain import Hasher
from victor.audit.logfiles import head_path
from victor.audit.verify import TornTail, VerifyReport, verify
from victor.errors import AuditError


def repair(log: Path, hasher: Hasher, witness: Path | None = None) -> tuple[TornTail | None, VerifyReport]:
    """Truncate a torn tail, if there is one; return what was cut and the report afterwards."""
    fd = os.open(head_path(log), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        report = verify(log, hasher, witness)
        if report.problem:
            raise AuditError(
                f"the audit log is damaged beyond a torn tail: {report.problem}",
                hint="repair only cuts a torn last line; keep this log as evidence and investigate",
            )
        torn = report.torn
        if torn:
            os.truncate(torn.file, torn.offset)
        return torn, verify(log, hasher, witness) if torn else report
    finally:
        os.close(fd)
