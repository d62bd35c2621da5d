"""`.secrets.baseline` compatibility with the real detect-secrets: a baseline it makes is honoured,
and the one Victor writes (--update-baseline, exit 3) is one detect-secrets reads and keeps using."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.secrets.conftest import AWS_ID, TOKEN

BIN = Path(sys.executable).parent


def detect_secrets(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True)


def test_detect_secrets_baseline_is_honoured_and_round_trips(git_repo: Path, victor) -> None:
    tmp_path = git_repo  # detect-secrets-hook needs a git work tree
    (tmp_path / "settings.py").write_text(f"AWS_ACCESS_KEY_ID = '{AWS_ID}'\n")
    made = detect_secrets("detect-secrets", "scan", "settings.py", cwd=tmp_path)
    (tmp_path / ".secrets.baseline").write_text(made.stdout)
    assert json.loads(made.stdout)["results"]["settings.py"][0]["type"] == "AWS Access Key"

    assert victor("scan-secrets", "settings.py", cwd=tmp_path).returncode == 0  # known: silent
    (tmp_path / "settings.py").write_text(f"AWS_ACCESS_KEY_ID = '{AWS_ID}'\nGITHUB = '{TOKEN}'\n")
    new = victor("scan-secrets", "settings.py", cwd=tmp_path)
    assert (new.returncode, new.stdout) == (1, "settings.py:2 github-pat ghp_…\n")

    assert victor("scan-secrets", "settings.py", "--update-baseline", cwd=tmp_path).returncode == 3
    assert victor("scan-secrets", "settings.py", "--update-baseline", cwd=tmp_path).returncode == 0
    assert victor("scan-secrets", "settings.py", cwd=tmp_path).returncode == 0
    written = json.loads((tmp_path / ".secrets.baseline").read_text())
    entries = written["results"]["settings.py"]
    types = [e["type"] for e in entries]
    assert types[0] == "AWS Access Key" and "github-pat" in types  # detect-secrets' entry kept, ours added
    assert "GitHub Token" in types  # and detect-secrets' own view of the accepted line
    assert written["plugins_used"] == json.loads(made.stdout)["plugins_used"]
    assert TOKEN not in (tmp_path / ".secrets.baseline").read_text()

    # detect-secrets reads Victor's file: its hook finds nothing new (3: it refreshed the file), and
    # Victor still honours the file after detect-secrets rewrote it.
    hook = detect_secrets("detect-secrets-hook", "--baseline", ".secrets.baseline", "settings.py", cwd=tmp_path)
    assert hook.returncode in (0, 3) and "Potential secrets" not in hook.stdout, hook.stdout
    assert victor("scan-secrets", "settings.py", cwd=tmp_path).returncode == 0


def test_new_baseline_uses_detect_secrets_settings(git_repo: Path, victor) -> None:
    tmp_path = git_repo
    (tmp_path / "app.py").write_text(f"token = '{TOKEN}'\n")
    assert victor("scan-secrets", ".", "--update-baseline", cwd=tmp_path).returncode == 3
    from detect_secrets.core import baseline

    loaded = baseline.load(baseline.load_from_file(str(tmp_path / ".secrets.baseline")))
    assert {secret.filename for _, secret in loaded} == {"app.py"}
    hook = detect_secrets("detect-secrets-hook", "--baseline", ".secrets.baseline", "app.py", cwd=tmp_path)
    assert hook.returncode in (0, 3) and "Potential secrets" not in hook.stdout, hook.stdout


def test_unreadable_baseline_is_a_config_error(tmp_path: Path, victor) -> None:
    (tmp_path / "b.json").write_text("{not json")
    result = victor("scan-secrets", ".", "--baseline", "b.json", cwd=tmp_path)
    assert result.returncode == 2 and "b.json" in result.stderr and "Traceback" not in result.stderr
