"""The unsandboxed runner for `sandbox: {backend: none}` (only a user's own profile can choose it):
commands run on the host with bash, under the same timeout, output cap and environment allowlist —
but with none of the container's isolation."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from victor.config.schema import SandboxConfig
from victor.sandbox.base import ExecResult
from victor.sandbox.output import CappedOutput

KILL_AFTER_S = 2


class HostRunner:
    isolated = False

    def __init__(self, settings: SandboxConfig, workspace: Path) -> None:
        self.settings = settings
        self.workspace = workspace
        self._process: subprocess.Popen[bytes] | None = None

    def describe(self) -> str:
        return "host (NO SANDBOX: commands run directly on this machine)"

    def exec(self, command: str, *, timeout_s: float | None = None,
             on_output: Callable[[str], None] | None = None) -> ExecResult:
        timeout = timeout_s or self.settings.timeout_s
        output = CappedOutput(self.settings.output_limit_bytes, on_output)
        started = time.monotonic()
        self._process = process = subprocess.Popen(
            ["bash", "-c", command], cwd=self.workspace, env=self._env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self.cancel()

        timer = threading.Timer(timeout, expire)
        timer.start()
        try:
            reader = process.stdout
            assert isinstance(reader, io.BufferedReader)  # stdout=PIPE, buffered: Popen's default
            for chunk in iter(lambda: reader.read1(65536), b""):
                output.add(chunk)
                if output.truncated:
                    self.cancel()
            exit_code = process.wait()
        finally:
            timer.cancel()
        exit_code = 124 if expired.is_set() else (128 - exit_code if exit_code < 0 else exit_code)
        text = output.text() + (f"\n[victor: timed out after {timeout:g} s; the command was killed]"
                                if expired.is_set() else "")
        duration_ms = int((time.monotonic() - started) * 1000)
        return ExecResult(exit_code, text, duration_ms, expired.is_set(), output.truncated)

    def cancel(self) -> None:
        if self._process and self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        self.cancel()

    def _env(self) -> dict[str, str]:
        wanted = [*self.settings.env_allowlist, "PATH", "HOME"]
        return {name: os.environ[name] for name in wanted if name in os.environ}
