"""Start-up time of `victor --version` and `victor --help` against `python -c pass`, measured in
the same run: prints medians and the ratio. Goal: median `victor --version` ≤ 0.10 s."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

RUNS = 21


def median_seconds(command: list[str]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    victor = shutil.which("victor") or str(__import__("pathlib").Path(sys.executable).with_name("victor"))
    baseline = median_seconds([sys.executable, "-c", "pass"])
    print(f"{'command':<28}{'median s':>10}{'× python -c pass':>20}")
    print(f"{'python -c pass':<28}{baseline:>10.3f}{1.0:>20.2f}")
    for args in (["--version"], ["--help"]):
        seconds = median_seconds([victor, *args])
        print(f"{'victor ' + ' '.join(args):<28}{seconds:>10.3f}{seconds / baseline:>20.2f}")


if __name__ == "__main__":
    main()
