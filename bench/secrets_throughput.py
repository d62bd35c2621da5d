"""Scanning throughput on a large source tree (default: this interpreter's site-packages), Victor
against detect-secrets, one core each, in the same run. Prints MB/s, the ratio, and how many
findings each reports (on ordinary library code nearly all are false).
Usage: python bench/secrets_throughput.py [DIR] [--mb 50] [--detect-secrets-mb 1]"""

from __future__ import annotations

import argparse
import sysconfig
import time
from pathlib import Path


def load_files(root: Path, budget_mb: float) -> list[tuple[str, str]]:
    files, total = [], 0
    for path in sorted(root.rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        files.append((str(path.relative_to(root)), text))
        total += len(text.encode())
        if total >= budget_mb * 1e6:
            break
    return files


def megabytes(files: list[tuple[str, str]]) -> float:
    return sum(len(text.encode()) for _, text in files) / 1e6


def time_victor(files: list[tuple[str, str]]) -> tuple[float, int]:
    from victor.secrets import scan_text

    scan_text("warm-up: compile the prefilter")
    start = time.process_time()
    found = sum(len(scan_text(text, path=name)) for name, text in files)
    return time.process_time() - start, found


def time_detect_secrets(files: list[tuple[str, str]], root: Path) -> tuple[float, int]:
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    with default_settings():
        start = time.process_time()
        found = sum(sum(1 for _ in scan_file(str(root / name))) for name, _ in files)
        return time.process_time() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", default=sysconfig.get_paths()["purelib"])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--detect-secrets-mb", type=float, default=1.0)
    options = parser.parse_args()
    root = Path(options.root)
    files = load_files(root, options.mb)
    ours_s, ours_found = time_victor(files)
    ours_rate = megabytes(files) / ours_s
    sample = load_files(root, options.detect_secrets_mb)
    theirs_s, theirs_found = time_detect_secrets(sample, root)
    theirs_rate = megabytes(sample) / theirs_s
    print(f"tree: {root}")
    print(f"victor:         {megabytes(files):7.1f} MB in {ours_s:6.2f} s CPU = {ours_rate:6.2f} MB/s per core, "
          f"{ours_found} findings ({ours_found / megabytes(files):.1f}/MB)")
    print(f"detect-secrets: {megabytes(sample):7.1f} MB in {theirs_s:6.2f} s CPU = {theirs_rate:6.3f} MB/s per core, "
          f"{theirs_found} findings ({theirs_found / megabytes(sample):.1f}/MB)")
    print(f"ratio: victor is {ours_rate / theirs_rate:.0f}x detect-secrets (goal >= 100x; goal >= 15 MB/s per core)")


if __name__ == "__main__":
    main()
