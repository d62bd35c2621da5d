"""`victor scan-secrets` as users and hooks run it: real subprocesses in real git repositories.
Staged semantics, paths and .gitignore, history, stdin, formats, exit codes, profile excludes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.secrets.conftest import AWS_ID, TOKEN, git

HEAVY = ("textual", "openai", "anthropic", "ollama", "docker", "llama_cpp", "detect_secrets", "typer", "pydantic")


def test_staged_scans_the_index_not_the_worktree(committed_repo: Path, victor) -> None:
    app = committed_repo / "app.py"
    app.write_text(f"TOKEN = '{TOKEN}'\n")
    git(committed_repo, "add", "app.py")
    app.write_text("TOKEN = os.environ['TOKEN']\n")  # edited away, but the index still holds it
    result = victor("scan-secrets", "--staged")
    assert result.returncode == 1, result.stderr
    assert result.stdout == "app.py:1 github-pat ghp_…\n"
    assert TOKEN not in result.stdout + result.stderr


def test_unstaged_secret_does_not_block_the_commit(committed_repo: Path, victor) -> None:
    (committed_repo / "README.md").write_text(f"# demo\ntoken {TOKEN}\n")  # not staged
    (committed_repo / "ok.py").write_text("x = 1\n")
    git(committed_repo, "add", "ok.py")
    result = victor("scan-secrets", "--staged")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_staged_reports_only_added_lines(committed_repo: Path, victor) -> None:
    (committed_repo / "old.py").write_text(f"KEY = '{AWS_ID}'\n")
    git(committed_repo, "add", "old.py")
    git(committed_repo, "commit", "-qm", "an old secret, already in history", "--no-verify")
    (committed_repo / "old.py").write_text(f"KEY = '{AWS_ID}'\nNEW = 2\n")
    git(committed_repo, "add", "old.py")
    assert victor("scan-secrets", "--staged").returncode == 0
    (committed_repo / "old.py").write_text(f"KEY = '{AWS_ID}'\nNEW = 2\nTOKEN = '{TOKEN}'\n")
    git(committed_repo, "add", "old.py")
    result = victor("scan-secrets", "--staged")
    assert (result.returncode, result.stdout) == (1, "old.py:3 github-pat ghp_…\n")


def test_since_scans_lines_added_by_history(committed_repo: Path, victor) -> None:
    base = git(committed_repo, "rev-parse", "HEAD").strip()
    (committed_repo / "a.py").write_text(f"x = 1\ny = '{AWS_ID}'\n")
    git(committed_repo, "add", "a.py")
    git(committed_repo, "commit", "-qm", "leak")
    (committed_repo / "a.py").write_text("x = 1\n")
    git(committed_repo, "commit", "-qam", "remove it again")
    commit = git(committed_repo, "rev-parse", "HEAD~1").strip()
    result = victor("scan-secrets", "--since", base, "--format", "json")
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["path"], finding["line"], finding["commit"], finding["rule"]) == ("a.py", 2, commit, "aws-access-key-id")


def test_directories_respect_gitignore_and_files_are_scanned_when_named(committed_repo: Path, victor) -> None:
    (committed_repo / ".gitignore").write_text("build/\n")
    (committed_repo / "build").mkdir()
    (committed_repo / "build" / "out.txt").write_text(f"{TOKEN}\n")
    assert victor("scan-secrets", ".").returncode == 0
    assert victor("scan-secrets", "--all-files").returncode == 0
    named = victor("scan-secrets", "build/out.txt")
    assert (named.returncode, named.stdout) == (1, "build/out.txt:1 github-pat ghp_…\n")


def test_stdin(victor, tmp_path: Path) -> None:
    assert victor("scan-secrets", "-", input=f"key: {AWS_ID}\n", cwd=tmp_path).stdout == "-:1 aws-access-key-id AKIA…\n"
    assert victor("scan-secrets", "-", input="nothing\n", cwd=tmp_path).returncode == 0


def test_sarif_output(tmp_path: Path, victor) -> None:
    (tmp_path / "c.yaml").write_text(f"github:\n  token: {TOKEN}\n")
    result = victor("scan-secrets", "c.yaml", "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(result.stdout)
    [run] = sarif["runs"]
    [res] = run["results"]
    assert (sarif["version"], res["ruleId"], res["locations"][0]["physicalLocation"]["region"]["startLine"]) == (
        "2.1.0", "github-pat", 2)
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "c.yaml"
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == {"github-pat"}
    assert TOKEN not in result.stdout


def test_usage_errors_exit_2_with_one_line(victor, tmp_path: Path) -> None:
    for args in (["--format", "xml"], ["--staged", "x.py"], ["no-such-file"], ["--staged"],
                 ["--since", "HEAD~1", "--update-baseline"]):
        result = victor("scan-secrets", *args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("victor: error: ") and "Traceback" not in result.stderr


def test_scan_secrets_imports_no_heavy_library(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "victor", "scan-secrets", "a.txt"], cwd=tmp_path,
                         capture_output=True, text=True)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines() if "|" in line}
    assert out.returncode == 0
    assert sorted(set(HEAVY) & imported) == []


def test_profile_exclude_paths_are_honoured(tmp_path: Path, victor, victor_home: Path) -> None:
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "keys.txt").write_text(f"{TOKEN}\n")
    assert victor("scan-secrets", ".", cwd=tmp_path).returncode == 1
    (victor_home / "profiles.yaml").write_text("secrets:\n  exclude_paths: ['fixtures/*']\n")
    assert victor("scan-secrets", ".", cwd=tmp_path).returncode == 0
    (victor_home / "profiles.yaml").write_text("secrets:\n  exclude_pathz: []\n")
    broken = victor("scan-secrets", ".", cwd=tmp_path)
    assert broken.returncode == 2 and "exclude_pathz" in broken.stderr
