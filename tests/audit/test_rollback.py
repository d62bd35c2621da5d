"""Rolling the log back (save the head anchor, let Victor write on, cut the log back to its old size,
put the old anchor back) leaves a chain and an anchor that agree. The rollback witness named by
`audit.anchor_path` (an append-only file outside the workspace) is what catches it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.audit.conftest import write_records
from victor.audit.logfiles import head_path
from victor.config.schema import AuditConfig

KEY = "org-audit-key"


@pytest.fixture
def witness(tmp_path: Path, victor_home: Path, log_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's profile names a witness outside the workspace; the chain is keyed."""
    path = tmp_path / "org" / "audit.witness"
    (victor_home / "profiles.yaml").write_text(f"audit:\n  anchor_path: {path}\n")
    monkeypatch.setenv("VICTOR_AUDIT_KEY", KEY)
    return path


def roll_back(log_file: Path, write_more) -> None:  # noqa: ANN001
    """What the review did: keep the log's size and head, write more, cut back, restore the head."""
    size, head = log_file.stat().st_size, head_path(log_file).read_bytes()
    write_more()
    os.truncate(log_file, size)
    head_path(log_file).write_bytes(head)


def test_a_rollback_passes_the_chain_and_anchor_but_the_witness_catches_it(
    witness: Path, log_file: Path, victor  # noqa: ANN001
) -> None:
    settings = AuditConfig(path=str(log_file), anchor_path=str(witness))
    write_records(settings, 5)
    roll_back(log_file, lambda: write_records(settings, 5, cost_usd=4.0))

    unwitnessed = victor("audit", "verify", env={"VICTOR_HOME": str(witness.parent)})  # no anchor_path there
    assert unwitnessed.returncode == 0 and "intact: 5 records" in unwitnessed.stdout

    result = victor("audit", "verify")
    assert result.returncode == 1, result.stdout
    first = result.stderr.splitlines()[0]
    assert "seq 6: the log ends at seq 5 but the witness saw seq 10 written" in first and "rollback" in first
    assert victor("audit", "repair", "--yes").returncode == 1


def test_writing_on_after_a_rollback_is_caught(witness: Path, log_file: Path, victor) -> None:  # noqa: ANN001
    settings = AuditConfig(path=str(log_file), anchor_path=str(witness))
    write_records(settings, 3)
    roll_back(log_file, lambda: write_records(settings, 3))
    write_records(settings, 6)  # Victor goes on from seq 4: the witness sees seq 4 after seq 6

    result = victor("audit", "verify")
    assert result.returncode == 1 and "went back from seq 6 to seq 4" in result.stderr


def test_a_rolled_back_log_rewritten_past_the_witness_is_caught(witness: Path, log_file: Path, victor) -> None:  # noqa: ANN001
    settings = AuditConfig(path=str(log_file), anchor_path=str(witness))
    write_records(settings, 3)
    roll_back(log_file, lambda: write_records(settings, 3))
    write_records(AuditConfig(path=str(log_file)), 5)  # written past seq 6 by a writer that skips the witness

    result = victor("audit", "verify")
    assert result.returncode == 1
    assert "seq 6: the record is not the one the witness saw" in result.stderr


def test_an_intact_witnessed_log_verifies_and_says_so(witness: Path, log_file: Path, victor) -> None:  # noqa: ANN001
    write_records(AuditConfig(path=str(log_file), anchor_path=str(witness)), 4)
    result = victor("audit", "verify")
    assert result.returncode == 0, result.stderr
    assert f"intact: 4 records, 1 file(s), hmac-sha256, rollback witness {witness}" in result.stdout
    assert oct(witness.stat().st_mode & 0o777) == "0o600"

    witness.unlink()
    result = victor("audit", "verify")
    assert result.returncode == 1 and f"the witness {witness} (audit.anchor_path) is missing" in result.stderr


def test_an_append_only_witness_cannot_be_cut_back_and_victor_still_writes_to_it(
    witness: Path, log_file: Path, victor  # noqa: ANN001
) -> None:
    """The organisation's setup: `chattr +a` (root) makes the witness append-only, even for its owner."""
    if shutil.which("chattr") is None or os.geteuid() != 0:
        pytest.skip("needs root and chattr (e2fsprogs) to make an append-only file")
    settings = AuditConfig(path=str(log_file), anchor_path=str(witness))
    write_records(settings, 2)
    subprocess.run(["chattr", "+a", str(witness)], check=True)
    try:
        write_records(settings, 2)
        with pytest.raises(PermissionError):
            os.truncate(witness, 0)
        with pytest.raises(PermissionError):
            witness.write_text("")
        assert victor("audit", "verify").returncode == 0
    finally:
        subprocess.run(["chattr", "-a", str(witness)], check=True)


@pytest.mark.parametrize(("value", "message"), [
    ("/var/lib/victor/audit.witness", "'audit.anchor_path' moves the audit log's rollback witness"),
    ("witness.log", "audit.anchor_path must be an absolute path"),
])
def test_a_project_file_cannot_move_the_witness(git_repo: Path, victor, value: str, message: str) -> None:  # noqa: ANN001
    project = git_repo / ".victor" / "profiles.yaml"
    project.parent.mkdir()
    project.write_text(f"audit:\n  anchor_path: {value}\n")
    result = victor("profiles", "validate")
    assert result.returncode == 2 and f"{project}:2" in result.stderr and message in result.stderr, result.stderr


def test_a_user_file_cannot_move_the_organisations_witness(victor_home: Path, tmp_path: Path, victor) -> None:  # noqa: ANN001
    org = tmp_path / "org-profiles.yaml"
    org.write_text("audit:\n  anchor_path: /var/lib/victor/audit.witness\n")
    (victor_home / "profiles.yaml").write_text(f"audit:\n  anchor_path: {tmp_path / 'mine.witness'}\n")
    result = victor("profiles", "validate", env={"VICTOR_ORG_CONFIG": str(org)})
    assert result.returncode == 2, result.stdout
    assert "'audit.anchor_path' moves the audit log's rollback witness" in result.stderr
    assert "organisation's profile file sets it" in result.stderr
