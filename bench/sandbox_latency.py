"""p50 and p95 latency of `true` through Victor's sandbox exec, against `docker run --rm` (a container per
command), a plain host subprocess, and the engine's floor (a bare docker-py exec of `true` in the same
warm container, without Victor's timeout wrapper, cleanup and exit-code check), measured in the same run. Needs the sandbox image
(`victor sandbox build --offline`). Usage: python bench/sandbox_latency.py [--runs N]"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from victor.config.schema import SandboxConfig
from victor.sandbox.factory import open_sandbox
from victor.sandbox.image import image_tag


def timings_ms(run: Callable[[], object], runs: int) -> list[float]:
    run()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(fraction * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--docker-run-runs", type=int, default=10, help="`docker run --rm` is slow: fewer runs")
    runs = parser.parse_args()
    with tempfile.TemporaryDirectory() as workspace:
        sandbox = open_sandbox(SandboxConfig(), Path(workspace), offline=True)
        try:
            results = {
                "host subprocess": timings_ms(lambda: subprocess.run(["true"], check=True), runs.runs),
                "victor exec": timings_ms(lambda: sandbox.exec("true"), runs.runs),
                "bare API exec": timings_ms(lambda: sandbox._container.exec_run(["true"]), runs.runs),
                "docker run --rm": timings_ms(
                    lambda: subprocess.run(["docker", "run", "--rm", "--network=none", image_tag(), "true"],
                                           check=True, capture_output=True), runs.docker_run_runs),
            }
        finally:
            sandbox.close()
    baseline = statistics.median(results["host subprocess"])
    print(f"{'path':<18}{'runs':>6}{'p50 ms':>10}{'p95 ms':>10}{'p50 / host':>12}")
    for name, samples in results.items():
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(f"{name:<18}{len(samples):>6}{p50:>10.1f}{p95:>10.1f}{p50 / baseline:>11.0f}x")
    victor_p50 = statistics.median(results["victor exec"])
    print(f"goal: victor exec p50 <= 50 ms: {'met' if victor_p50 <= 50 else 'NOT met'} ({victor_p50:.1f} ms)")


if __name__ == "__main__":
    main()
