"""Every way of tampering with the log is caught by `verify`, and the CLI reports the first bad seq
with exit 1. A torn last line is reported as such and only `repair` may cut it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit.conftest import parse, read_lines, write_lines, write_records
from victor.audit.chain import Hasher, hasher_from_env
from victor.audit.logfiles import Anchor, head_path, write_anchor
from victor.audit.verify import verify
from victor.config.schema import AuditConfig

KEY = "org-audit-key"


@pytest.fixture
def ten(settings: AuditConfig, log_file: Path) -> list[str]:
    write_records(settings, 10, provider="ollama", cost_usd=0.25)
    return read_lines(log_file)


def problem_of(log_file: Path):  # noqa: ANN201
    report = verify(log_file, hasher_from_env())
    assert report.problem is not None, "tampering went unnoticed"
    return report.problem


def test_an_untouched_log_verifies(ten: list[str], log_file: Path, victor) -> None:  # noqa: ANN001
    result = victor("audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "intact: 10 records" in result.stdout


def test_editing_a_field_is_caught(ten: list[str], log_file: Path, victor) -> None:  # noqa: ANN001
    ten[4] = ten[4].replace('"cost_usd":0.25', '"cost_usd":0.01')
    write_lines(log_file, ten)

    assert problem_of(log_file).seq == 5
    result = victor("audit", "verify")
    assert result.returncode == 1
    assert "seq 5: its hash does not match its contents" in result.stderr


def test_deleting_a_line_is_caught(ten: list[str], log_file: Path) -> None:
    write_lines(log_file, ten[:3] + ten[4:])
    problem = problem_of(log_file)
    assert problem.seq == 5 and "expected seq 4" in problem.message


def test_reordering_is_caught(ten: list[str], log_file: Path) -> None:
    ten[6], ten[7] = ten[7], ten[6]
    write_lines(log_file, ten)
    assert problem_of(log_file).seq == 8


def test_inserting_a_forged_line_is_caught(ten: list[str], log_file: Path) -> None:
    """A forger who knows the format chains the new line properly; the record after it breaks."""
    previous = parse(ten[2])
    forged = {**previous, "seq": 4, "action": "approval", "prev_hash": previous["hash"]}
    write_lines(log_file, ten[:3] + [json.dumps(Hasher().seal(forged)) + "\n"] + ten[3:])

    problem = problem_of(log_file)
    assert problem.seq == 4 and problem.line == 5 and "expected seq 5" in problem.message


def test_cutting_whole_records_off_the_end_is_caught(ten: list[str], log_file: Path) -> None:
    write_lines(log_file, ten[:7])
    problem = problem_of(log_file)
    assert problem.seq == 8 and "cut off the end" in problem.message


def test_cutting_the_end_mid_record_is_torn_and_repair_cannot_hide_it(ten: list[str], log_file: Path, victor) -> None:  # noqa: ANN001
    log_file.write_text("".join(ten)[:-40])

    report = verify(log_file, hasher_from_env())
    assert report.torn is not None and report.problem is None
    assert "is torn" in victor("audit", "verify").stderr

    result = victor("audit", "repair", "--yes")
    assert result.returncode == 1 and "cut off the end" in result.stderr


def test_replacing_the_file_with_a_rechained_forgery_fails_with_a_key(
    log_file: Path, monkeypatch: pytest.MonkeyPatch, victor  # noqa: ANN001
) -> None:
    monkeypatch.setenv("VICTOR_AUDIT_KEY", KEY)
    write_records(AuditConfig(path=str(log_file)), 5, cost_usd=9.5)
    genuine = [parse(line) for line in read_lines(log_file)]

    for forger in (Hasher(), Hasher(b"a guessed key")):
        _rechain(log_file, genuine, forger)
        problem = problem_of(log_file)
        assert problem.seq == 1, forger
        assert victor("audit", "verify").returncode == 1


def _rechain(log_file: Path, genuine: list[dict], forger: Hasher) -> None:
    """Rewrite every record (cost lowered), re-chain them and move the head anchor, as a forger would."""
    previous, lines = genuine[0]["prev_hash"], []
    for record in genuine:
        forged = forger.seal({**record, "cost_usd": 0.0, "prev_hash": previous})
        if forger.key:
            forged["alg"] = "hmac-sha256"
        previous = forged["hash"]
        lines.append(json.dumps(forged) + "\n")
    write_lines(log_file, lines)
    head = head_path(log_file).open("r+b")
    write_anchor(head.fileno(), Anchor(len(genuine), previous, forger.anchor_mac(len(genuine), previous)))
    head.close()


def test_without_the_key_a_keyed_log_cannot_be_verified(
    log_file: Path, monkeypatch: pytest.MonkeyPatch, victor  # noqa: ANN001
) -> None:
    monkeypatch.setenv("VICTOR_AUDIT_KEY", KEY)
    write_records(AuditConfig(path=str(log_file)), 2)
    monkeypatch.delenv("VICTOR_AUDIT_KEY")

    result = victor("audit", "verify")
    assert result.returncode == 1 and "set VICTOR_AUDIT_KEY" in result.stderr


def test_verify_json_names_the_first_bad_seq(ten: list[str], log_file: Path, victor) -> None:  # noqa: ANN001
    write_lines(log_file, ten[:2] + ten[3:])
    result = victor("audit", "verify", "--json")
    document = json.loads(result.stdout)
    assert result.returncode == 1 and document["ok"] is False and document["problem"]["seq"] == 4
