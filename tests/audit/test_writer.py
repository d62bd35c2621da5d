"""The writer: standard fields, the chain, redaction, prompts, permissions, rotation and fsync modes."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from tests.audit.conftest import parse, read_lines, write_records
from victor import __version__
from victor.audit import AuditLog, open_audit_log
from victor.audit.chain import GENESIS, hasher_from_env
from victor.audit.logfiles import chain_files
from victor.audit.verify import verify
from victor.config.schema import AuditConfig
from victor.errors import AuditError

GITHUB_TOKEN = "".join(["ghp_", "R7xQ2mZpL9vK4tW8nB3cY6hJ1dF5gS0aE2uN"])


def test_a_record_carries_the_standard_fields_and_starts_the_chain(settings: AuditConfig, log_file: Path) -> None:
    with open_audit_log(settings, session_id="s-1", user="alice") as log:
        log.record("model_request", provider="ollama", model="qwen", input_tokens=12, output_tokens=3, cost_usd=0.0)

    record = parse(read_lines(log_file)[0])
    assert record["seq"] == 1 and record["prev_hash"] == GENESIS
    assert (record["action"], record["user"], record["session_id"]) == ("model_request", "alice", "s-1")
    assert record["success"] is True
    assert record["victor_version"] == __version__ and record["host"] and record["timestamp"].endswith("+00:00")
    assert (record["provider"], record["input_tokens"], record["alg"]) == ("ollama", 12, "sha256")
    assert len(record["hash"]) == 64


def test_records_chain_across_log_objects_and_verify(settings: AuditConfig, log_file: Path) -> None:
    write_records(settings, 3, session="a")
    write_records(settings, 2, session="b")

    records = [parse(line) for line in read_lines(log_file)]
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5]
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in zip(records, records[1:], strict=False))
    assert verify(log_file, hasher_from_env()).ok


def test_the_log_and_its_head_are_private(settings: AuditConfig, log_file: Path) -> None:
    write_records(settings, 1)
    for path in (log_file, log_file.with_name("audit.log.head")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_disabled_log_records_nothing(log_file: Path) -> None:
    log = open_audit_log(AuditConfig(enabled=False, path=str(log_file)), session_id="s")
    log.record("session_start", prompt="anything")
    assert not log.enabled and not log_file.parent.exists()


def test_every_string_is_redacted_nested_too(settings: AuditConfig, log_file: Path) -> None:
    with open_audit_log(settings, session_id="s") as log:
        log.record("tool_call", command=f"curl -H 'Authorization: token {GITHUB_TOKEN}'",
                   args={"env": [f"GITHUB_TOKEN={GITHUB_TOKEN}"]}, files_accessed=[Path("src/app.py")])

    text = log_file.read_text()
    assert GITHUB_TOKEN not in text
    record = parse(text)
    assert "«SECRET:" in record["command"] and "«SECRET:" in record["args"]["env"][0]
    assert record["files_accessed"] == ["src/app.py"]


def test_prompt_fields_hash_the_prompt_and_keep_text_only_when_asked(log_file: Path) -> None:
    prompt = f"deploy with {GITHUB_TOKEN} please"
    expected = {"prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(), "prompt_chars": len(prompt)}

    quiet = open_audit_log(AuditConfig(path=str(log_file)), session_id="s").prompt_fields(prompt)
    verbose_log = open_audit_log(AuditConfig(path=str(log_file), include_prompts=True), session_id="s")
    verbose = verbose_log.prompt_fields(prompt)

    assert quiet == expected
    assert {k: verbose[k] for k in expected} == expected
    assert GITHUB_TOKEN not in verbose["prompt"] and verbose["prompt"].startswith("deploy with «SECRET:")


def test_fields_the_log_sets_itself_are_refused(settings: AuditConfig) -> None:
    log = open_audit_log(settings, session_id="s")
    with pytest.raises(AuditError, match="seq"):
        log.record("tool_call", seq=7)


def test_rotation_continues_the_chain_across_files(log_file: Path) -> None:
    settings = AuditConfig(path=str(log_file), rotate_bytes=1500)
    write_records(settings, 12, session="a")
    write_records(settings, 3, session="b")

    files = chain_files(log_file)
    assert [path.name for path in files[:2]] == ["audit.log.1", "audit.log.2"] and files[-1] == log_file
    assert all(path.stat().st_size <= 1500 for path in files)
    report = verify(log_file, hasher_from_env())
    assert report.ok and report.records == 15 and len(report.files) == len(files)


@pytest.mark.parametrize("mode", ["batch", "never"])
def test_other_fsync_modes_write_the_same_chain(log_file: Path, mode: str) -> None:
    write_records(AuditConfig(path=str(log_file), fsync=mode), 300)
    assert verify(log_file, hasher_from_env()).records == 300


def test_an_unwritable_log_is_a_clear_audit_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    log = AuditLog(blocker / "audit.log", AuditConfig(), session_id="s")
    with pytest.raises(AuditError, match="cannot write the audit log"):
        log.record("session_start")


def test_with_a_key_the_chain_is_an_hmac(
    settings: AuditConfig, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VICTOR_AUDIT_KEY", "k3y-for-tests")
    write_records(settings, 2)

    assert parse(read_lines(log_file)[0])["alg"] == "hmac-sha256"
    assert verify(log_file, hasher_from_env()).ok
    monkeypatch.delenv("VICTOR_AUDIT_KEY")
    problem = verify(log_file, hasher_from_env()).problem
    assert problem.seq == 1 and "set VICTOR_AUDIT_KEY" in problem.message


def test_the_next_writer_cuts_a_torn_tail_and_puts_that_on_record(settings: AuditConfig, log_file: Path) -> None:
    write_records(settings, 3)
    fragment = b'{"seq":4,"timestamp":"2026-'
    with log_file.open("ab") as stream:
        stream.write(fragment)
    assert verify(log_file, hasher_from_env()).torn is not None

    write_records(settings, 1, session="next")

    records = [parse(line) for line in read_lines(log_file)]
    assert [r["action"] for r in records[3:]] == ["audit_recovered", "tool_call"]
    assert records[3]["dropped_bytes"] == len(fragment)
    assert records[3]["dropped_sha256"] == hashlib.sha256(fragment).hexdigest()
    assert verify(log_file, hasher_from_env()).ok


def test_a_lost_head_anchor_is_reported_then_put_on_record(settings: AuditConfig, log_file: Path) -> None:
    write_records(settings, 3)
    log_file.with_name("audit.log.head").unlink()
    assert "head anchor is missing" in verify(log_file, hasher_from_env()).problem.message

    write_records(settings, 1)

    actions = [parse(line)["action"] for line in read_lines(log_file)]
    assert actions[3:] == ["audit_anchor_lost", "tool_call"]
    assert verify(log_file, hasher_from_env()).ok


def test_a_torn_tail_and_a_lost_anchor_together_are_both_put_on_record(settings: AuditConfig, log_file: Path) -> None:
    write_records(settings, 2)
    log_file.with_name("audit.log.head").unlink()
    with log_file.open("ab") as stream:
        stream.write(b'{"seq":3')

    write_records(settings, 1)

    actions = [parse(line)["action"] for line in read_lines(log_file)]
    assert actions[2:] == ["audit_recovered", "audit_anchor_lost", "tool_call"]
    assert verify(log_file, hasher_from_env()).ok
