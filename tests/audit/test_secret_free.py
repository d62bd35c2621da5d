"""A log written by real Victor commands (`victor tools run`) that handled secrets holds none:
`victor scan-secrets` finds nothing in it, though it finds the secrets the commands were given."""

from __future__ import annotations

import json
from pathlib import Path

from victor.audit.chain import hasher_from_env
from victor.audit.verify import verify
from victor.secrets import scan_text

GITHUB = "".join(["ghp_", "R7xQ2mZpL9vK4tW8nB3cY6hJ1dF5gS0aE2uN"])
AWS = "".join(["wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYzQ8pLm3vN2"])
SLACK = "".join(["xoxb-", "1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"])
CONTENT = f"GITHUB_TOKEN={GITHUB}\naws_secret_access_key = {AWS}\nslack: {SLACK}\n"


def test_a_real_session_leaves_no_secret_in_the_log(git_repo: Path, log_file: Path, victor) -> None:  # noqa: ANN001
    assert len(scan_text(CONTENT)) == 3  # the scanner does see all three in what the commands get

    wrote = victor("tools", "run", "write_file", "--approval", "full-auto",
                   "--args", json.dumps({"path": "deploy.env", "content": CONTENT}))
    searched = victor("tools", "run", "grep", "--args", json.dumps({"pattern": GITHUB[:20]}))
    assert wrote.returncode == 0 and searched.returncode == 0, wrote.stderr + searched.stderr
    assert GITHUB in (git_repo / "deploy.env").read_text()

    text = log_file.read_text()
    records = [json.loads(line) for line in text.splitlines()]
    decoded = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    assert [r["action"] for r in records].count("tool_call") == 2 and verify(log_file, hasher_from_env()).ok
    assert "«SECRET:github-pat:" in decoded and "«SECRET:aws-secret-access-key:" in decoded
    assert not any(secret in log for secret in (GITHUB, AWS, SLACK) for log in (text, decoded))
    assert scan_text(decoded) == []

    on_log = victor("scan-secrets", str(log_file))
    on_file = victor("scan-secrets", str(git_repo / "deploy.env"))
    assert on_log.returncode == 0, on_log.stdout
    assert on_file.returncode == 1  # the same scanner, on what the commands were given
