"""Commit-hook latency: `victor scan-secrets --staged` on a one-file commit against
`detect-secrets-hook` on the same file, both as subprocesses in a fresh temporary repository,
measured in the same run (median of N). Goal: Victor <= 0.5x detect-secrets.
Usage: python bench/hook_latency.py [--runs 15]"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILE = 'import os\n\nDEBUG = False\nTIMEOUT_S = 30\nAPI_URL = os.environ.get("API_URL", "http://localhost")\n' * 20


def median_seconds(command: list[str], cwd: Path, runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    repo = Path(tempfile.mkdtemp(prefix="hook-latency-"))
    env = {**os.environ, "VICTOR_HOME": str(repo / ".victor-home")}
    try:
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        (repo / "settings.py").write_text(FILE)
        subprocess.run(["git", "add", "settings.py"], cwd=repo, check=True)
        bindir = Path(sys.executable).parent
        victor = [str(bindir / "victor"), "scan-secrets", "--staged"]
        detect = [str(bindir / "detect-secrets-hook"), "settings.py"]
        assert subprocess.run(victor, cwd=repo, env=env, capture_output=True).returncode == 0
        ours = median_seconds(victor, repo, runs, env)
        theirs = median_seconds(detect, repo, runs, env)
    finally:
        shutil.rmtree(repo, ignore_errors=True)
    print(f"victor scan-secrets --staged: {ours * 1000:6.0f} ms (median of {runs})")
    print(f"detect-secrets-hook FILE:     {theirs * 1000:6.0f} ms (median of {runs})")
    print(f"ratio: {ours / theirs:.2f}x detect-secrets-hook (goal <= 0.5x)")


if __name__ == "__main__":
    main()
