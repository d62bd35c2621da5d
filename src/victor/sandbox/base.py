"""The sandbox contract: run one shell command, confined, with a timeout and an output cap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    output: str  # stdout and stderr interleaved, capped, terminal escapes stripped
    duration_ms: int
    timed_out: bool = False
    truncated: bool = False
    recreated: bool = False  # the container was OOM-killed or hung and had to be rebuilt


class Sandbox(Protocol):
    isolated: bool  # True when commands run confined (a container); False when they run on the host

    def exec(
        self,
        command: str,
        *,
        timeout_s: float | None = None,
        on_output: Callable[[str], None] | None = None,
    ) -> ExecResult:
        """Run `command` with bash in the workspace; `on_output` receives output as it arrives."""
        ...

    def cancel(self) -> None:
        """Kill the command running now, if any (Ctrl+C); the sandbox stays usable."""
        ...

    def describe(self) -> str:
        """One line for status bars and audit: backend, image, network."""
        ...

    def close(self) -> None: ...
