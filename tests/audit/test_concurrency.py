"""Several Victor processes appending at once still make one valid chain, and a writer killed
with SIGKILL mid-record leaves at most a torn tail, which repair (or the next writer) cuts off."""

from __future__ import annotations

import random
import signal
import threading
import time
from collections import Counter
from pathlib import Path

from tests.audit.conftest import parse, read_lines, start_writer
from victor.audit import open_audit_log
from victor.audit.chain import hasher_from_env
from victor.audit.chain_repair import repair
from victor.audit.verify import verify
from victor.config.schema import AuditConfig

PROCESSES, RECORDS = 8, 500
KILL_ROUNDS = 6
BIG_RECORD = 2 * 1024 * 1024  # a write that takes milliseconds, so a kill can land inside it


def test_eight_processes_make_one_chain_of_4000(log_file: Path) -> None:
    writers = [start_writer(log_file, RECORDS, f"writer-{n}", "--fsync", "batch") for n in range(PROCESSES)]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()

    report = verify(log_file, hasher_from_env())
    assert report.ok, report.problem
    assert report.records == PROCESSES * RECORDS
    sessions = Counter(parse(line)["session_id"] for line in read_lines(log_file))
    assert sessions == {f"writer-{n}": RECORDS for n in range(PROCESSES)}


def test_a_writer_killed_mid_record_leaves_at_most_a_torn_tail(log_file: Path, victor) -> None:  # noqa: ANN001
    """The kill lands while a record is being written (or, every third round, anywhere). Odd rounds
    leave a torn tail to the next writer, which must cut it and put that on record;
    even rounds and the last repair it, the last through the CLI."""
    rng = random.Random(4)
    expected_recoveries = 0
    for round_number in range(KILL_ROUNDS):
        writer = start_writer(log_file, 0, f"victim-{round_number}", "--forever", "--fsync", "never",
                              "--payload", str(BIG_RECORD))
        _wait_for_growth(log_file)  # a record is being written right now
        if round_number % 3 == 2:
            time.sleep(rng.uniform(0, 0.1))  # or somewhere between records
        writer.send_signal(signal.SIGKILL)
        writer.wait()

        report = verify(log_file, hasher_from_env())
        assert report.problem is None, report.problem
        last_round = round_number == KILL_ROUNDS - 1
        if report.torn and round_number % 2 and not last_round:
            expected_recoveries += 1
        elif report.torn and not last_round:
            torn, after = repair(log_file, hasher_from_env())
            assert torn == report.torn and after.ok

    result = victor("audit", "repair", "--yes")
    assert result.returncode == 0, result.stderr
    final = verify(log_file, hasher_from_env())
    assert final.ok and final.records > 0
    recovered = [line for line in read_lines(log_file) if '"action":"audit_recovered"' in line]
    assert len(recovered) == expected_recoveries


def _wait_for_growth(log_file: Path, timeout: float = 30) -> None:
    start_size = log_file.stat().st_size if log_file.exists() else 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log_file.exists() and log_file.stat().st_size > start_size:
            return
        time.sleep(0.0005)
    raise AssertionError("the writer never wrote")


def test_threads_sharing_one_log_make_one_chain(settings: AuditConfig, log_file: Path) -> None:
    """flock does not exclude threads of one process from each other; the writer must."""
    log = open_audit_log(settings, session_id="threads")
    workers = [threading.Thread(target=lambda: [log.record("tool_call", tool="grep") for _ in range(200)])
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    log.close()
    report = verify(log_file, hasher_from_env())
    assert report.ok and report.records == 800
