"""`victor audit tail | show | export | repair` and `victor usage`, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import queue
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.audit.conftest import read_lines, write_records
from victor.audit import open_audit_log
from victor.audit.chain import hasher_from_env
from victor.audit.verify import verify
from victor.cli import run
from victor.config.schema import AuditConfig


@pytest.fixture
def session_log(settings: AuditConfig) -> None:
    """Two sessions: local and cloud model requests, a tool call, a failed command."""
    with open_audit_log(settings, session_id="alpha-1111") as log:
        log.record("session_start", profile="default")
        log.record("model_request", profile="default", provider="ollama", model="qwen2.5-coder:7b",
                   location="local", task="refactoring", input_tokens=1_000_000, output_tokens=200_000, cost_usd=0.0)
        log.record("tool_call", tool="read_file", files_accessed=["src/app.py"])
    with open_audit_log(settings, session_id="beta-2222") as log:
        log.record("model_request", profile="claude", provider="anthropic", model="claude-sonnet-4",
                   location="cloud", task="security_analysis", input_tokens=1000, output_tokens=500, cost_usd=0.0105)
        log.record("sandbox_exec", success=False, command="pytest -q\x1b[31m", exit_code=1, duration_ms=900)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tail_shows_the_last_records_one_line_each(session_log: None, capsys) -> None:  # noqa: ANN001
    code, out, _ = cli(capsys, "audit", "tail", "-n", "2")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert "model_request" in lines[0] and "provider=anthropic" in lines[0]
    assert "sandbox_exec" in lines[1] and "FAIL" in lines[1] and "\x1b" not in lines[1] and "\\x1b" in lines[1]


def test_show_filters_by_session_action_and_time(session_log: None, capsys) -> None:  # noqa: ANN001
    _, out, _ = cli(capsys, "audit", "show", "--session", "alpha", "--json")
    assert {json.loads(line)["session_id"] for line in out.splitlines()} == {"alpha-1111"}

    _, out, _ = cli(capsys, "audit", "show", "--action", "model_request", "--action", "tool_call", "--json")
    assert [json.loads(line)["action"] for line in out.splitlines()] == ["model_request", "tool_call", "model_request"]

    _, out, _ = cli(capsys, "audit", "show", "--since", "2099-01-01")
    assert out == ""


def test_a_bad_since_is_a_one_line_usage_error(session_log: None, capsys) -> None:  # noqa: ANN001
    code, _, err = cli(capsys, "audit", "show", "--since", "last tuesday")
    assert code == 2 and err.startswith("victor: error: --since: cannot read 'last tuesday'")


def test_jsonl_export_stays_a_verifiable_chain(session_log: None, log_file: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    exported = tmp_path / "siem" / "audit.log"
    exported.parent.mkdir()
    code, _, err = cli(capsys, "audit", "export", "--format", "jsonl", "--output", str(exported))

    assert code == 0 and "exported 5 records" in err
    assert exported.read_text() == log_file.read_text()
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600


def test_csv_export_has_a_column_per_field(session_log: None, capsys) -> None:  # noqa: ANN001
    code, out, _ = cli(capsys, "audit", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 5
    assert list(rows[0])[:3] == ["seq", "timestamp", "action"] and list(rows[0])[-1] == "hash"
    assert json.loads(rows[2]["files_accessed"]) == ["src/app.py"]


def test_an_unknown_export_format_is_a_usage_error(session_log: None, capsys) -> None:  # noqa: ANN001
    code, _, err = cli(capsys, "audit", "export", "--format", "xml")
    assert code == 2 and "unknown format 'xml'" in err


def test_repair_cuts_a_crash_torn_tail_with_yes(session_log: None, log_file: Path, capsys) -> None:  # noqa: ANN001
    intact = log_file.read_bytes()
    log_file.write_bytes(intact + b'{"seq":6,"timest')

    code, out, _ = cli(capsys, "audit", "repair", "--yes")

    assert code == 0 and "cut 16 torn bytes" in out
    assert log_file.read_bytes() == intact and verify(log_file, hasher_from_env()).ok


def test_repair_without_a_terminal_or_yes_refuses_with_exit_4(session_log: None, log_file: Path, victor) -> None:  # noqa: ANN001
    log_file.write_bytes(log_file.read_bytes() + b'{"seq":6')

    result = victor("audit", "repair", input="y\n")

    assert result.returncode == 4 and "without confirmation" in result.stderr
    assert verify(log_file, hasher_from_env()).torn is not None


def test_repair_on_an_intact_log_changes_nothing(session_log: None, log_file: Path, capsys) -> None:  # noqa: ANN001
    before = read_lines(log_file)
    code, out, _ = cli(capsys, "audit", "repair")
    assert code == 0 and "nothing to repair" in out and read_lines(log_file) == before


def test_usage_reports_tokens_cost_and_the_local_share(session_log: None, capsys) -> None:  # noqa: ANN001
    code, out, _ = cli(capsys, "usage", "--json", "--by", "task")
    report = json.loads(out)
    total = report["total"]
    assert code == 0 and total["requests"] == 2
    assert (total["input_tokens"], total["output_tokens"], total["cost_usd"]) == (1_001_000, 200_500, 0.0105)
    assert total["local_share"] == pytest.approx(1_200_000 / 1_201_500)
    assert total["saved_usd"] is None  # no routing.cloud_profile to price against
    assert set(report["groups"]) == {"refactoring", "security_analysis"}


def test_usage_prices_local_tokens_at_the_cloud_profile(session_log: None, victor_home: Path, capsys) -> None:  # noqa: ANN001
    (victor_home / "profiles.yaml").write_text(
        "profiles:\n  claude:\n    provider: anthropic\n    model: claude-sonnet-4\n"
        "routing:\n  cloud_profile: claude\n"
    )
    code, out, _ = cli(capsys, "usage", "--json", "--by", "provider")
    report = json.loads(out)
    # 1M input tokens at $3/Mtok and 200k output at $15/Mtok, had they gone to claude-sonnet-4
    assert code == 0 and report["total"]["saved_usd"] == pytest.approx(3.0 + 3.0)
    assert report["groups"]["ollama"]["saved_usd"] == pytest.approx(6.0)
    assert report["groups"]["anthropic"]["saved_usd"] == 0.0

    code, out, _ = cli(capsys, "usage", "--by", "day")
    assert code == 0 and "saved by routing local: $6.0000 at claude's prices" in out


def test_usage_refuses_an_unknown_grouping(session_log: None, capsys) -> None:  # noqa: ANN001
    code, _, err = cli(capsys, "usage", "--by", "colour")
    assert code == 2 and "cannot group by 'colour'" in err


def test_tail_follow_prints_new_records_across_rotation(log_file: Path) -> None:
    settings = AuditConfig(path=str(log_file), rotate_bytes=1500)
    write_records(settings, 1)
    follower = subprocess.Popen([sys.executable, "-m", "victor", "audit", "tail", "-f", "-n", "1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in follower.stdout], daemon=True).start()
    try:
        assert _seq(lines.get(timeout=90)) == 1  # it is following now
        write_records(settings, 8, session="later")
        seen = [_seq(lines.get(timeout=90)) for _ in range(8)]
    finally:
        follower.kill()
        follower.wait()
    assert log_file.with_name("audit.log.2").exists()
    assert seen == list(range(2, 10))


def _seq(line: str) -> int:
    return int(line.split()[0])
