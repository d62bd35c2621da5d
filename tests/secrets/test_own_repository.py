"""Victor's own repository passes its own scan: its tests build secret-shaped values at run time, so
`victor scan-secrets --all-files` over what git lists in the project finds nothing and exits 0."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_the_project_passes_its_own_scan_secrets_all_files(victor) -> None:
    result = victor("scan-secrets", "--all-files", cwd=PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no secrets in" in result.stderr
