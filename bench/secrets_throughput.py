"""Scanning throughput on a large source tree (default: this interpreter's site-packages), Victor
against detect-secrets, like with like: the same files (the first MB of *.py in path order), each
scanner reading every file from disk itself (Victor as `scan-secrets` does: bytes, binary check,
decode; detect-secrets with `scan_file`), timed in CPU seconds on one core, in the same run, after
one untimed pass has put the files in the page cache for both.

detect-secrets scans about 0.15 MB/s, so the default set is 5 MB for both (about half a minute);
`--mb 50` compares them on 50 MB (about six minutes). `--victor-only` times Victor alone, for
before/after measurements on 50 MB. Prints MB/s, the ratio, and how many findings each reports (on
ordinary library code nearly all are false).
Usage: python bench/secrets_throughput.py [DIR] [--mb 5] [--victor-only]"""

from __future__ import annotations

import argparse
import sysconfig
import time
from pathlib import Path


def pick_files(root: Path, budget_mb: float) -> list[Path]:
    """*.py files under root in path order until their size on disk reaches the budget."""
    files, total = [], 0
    for path in sorted(root.rglob("*.py")):
        if not path.is_file():
            continue
        files.append(path)
        total += path.stat().st_size
        if total >= budget_mb * 1e6:
            break
    return files


def megabytes(files: list[Path]) -> float:
    return sum(path.stat().st_size for path in files) / 1e6


def time_victor(files: list[Path]) -> tuple[float, int]:
    from victor.secrets import scan_text
    from victor.secrets.sources import decode

    def scan(path: Path) -> int:
        text = decode(path.read_bytes())
        return len(scan_text(text, path=str(path))) if text is not None else 0

    scan(files[0])  # warm-up: import and compile what the first file needs
    start = time.process_time()
    found = sum(scan(path) for path in files)
    return time.process_time() - start, found


def time_detect_secrets(files: list[Path]) -> tuple[float, int]:
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    with default_settings():
        sum(1 for _ in scan_file(str(files[0])))  # warm-up, as for Victor
        start = time.process_time()
        found = sum(sum(1 for _ in scan_file(str(path))) for path in files)
        return time.process_time() - start, found


def line(name: str, size: float, seconds: float, found: int) -> str:
    return (f"{name:15} {size:7.1f} MB in {seconds:7.2f} s CPU = {size / seconds:7.3f} MB/s per core, "
            f"{found} findings ({found / size:.1f}/MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default=sysconfig.get_paths()["purelib"])
    parser.add_argument("--mb", type=float, default=5.0, help="how much source both scanners read (default 5)")
    parser.add_argument("--victor-only", action="store_true", help="time Victor alone")
    options = parser.parse_args()
    root = Path(options.root)
    files = pick_files(root, options.mb)
    for path in files:  # one untimed read of every file: both scanners then read from the page cache
        path.read_bytes()
    size = megabytes(files)
    print(f"tree: {root}: the same {len(files)} files, {size:.1f} MB, read from disk by each scanner")
    ours_s, ours_found = time_victor(files)
    print(line("victor:", size, ours_s, ours_found))
    if options.victor_only:
        return
    theirs_s, theirs_found = time_detect_secrets(files)
    print(line("detect-secrets:", size, theirs_s, theirs_found))
    print(f"ratio: victor is {theirs_s / ours_s:.0f}x detect-secrets on the same bytes "
          "(goal >= 100x; goal >= 15 MB/s per core)")


if __name__ == "__main__":
    main()
