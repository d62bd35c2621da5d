"""Fixtures for the audit tests: a log path in the test's temporary directory, its settings, and
helpers that write records through the public API and rewrite lines the way a tamperer would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from victor.audit import open_audit_log
from victor.config.schema import AuditConfig

WRITER = Path(__file__).with_name("append_records.py")


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The audit log's path; VICTOR_AUDIT_PATH points the CLI at it too."""
    path = tmp_path / "audit" / "audit.log"
    monkeypatch.setenv("VICTOR_AUDIT_PATH", str(path))
    return path


@pytest.fixture
def settings(log_file: Path) -> AuditConfig:
    return AuditConfig(path=str(log_file))


def write_records(settings: AuditConfig, count: int, *, session: str = "session-1", **fields: object) -> None:
    with open_audit_log(settings, session_id=session) as log:
        for index in range(count):
            log.record("tool_call", tool="read_file", index=index, **fields)


def read_lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines))


def parse(line: str) -> dict:
    return json.loads(line)


def start_writer(log: Path, count: int, session: str, *extra: str) -> subprocess.Popen:
    """A separate process appending `count` records (see append_records.py)."""
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(log), str(count), session, *extra],
        env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
