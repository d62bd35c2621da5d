"""The Docker backend: one warm locked-down container per session, and in it one resident runner
(runner.py) that runs each command, so a command costs a fork rather than a `docker exec`.

docker-py's exec has no timeout, so a command runs under `timeout -k` inside the container, and a host
watchdog kills the sandbox user's processes (the runner with them) and closes the stream if that is not
enough. After every command the runner kills all of the sandbox user's leftover processes but itself,
so `setsid nohup` escapees do not outlive the command. A runner that died for any reason is replaced at
the next command. Victor must talk to a local engine: the watchdog signals the container's processes by
their host PIDs. An OOM-killed or hung container is recreated and the user told.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from victor.config.schema import SandboxConfig
from victor.errors import SandboxError
from victor.sandbox.base import ExecResult
from victor.sandbox.lockdown import WORKDIR, SandboxUser, container_args, prepare_workspace, sandbox_env
from victor.sandbox.output import CappedOutput
from victor.sandbox.runner import EXIT, KILL_AFTER_S, OUTPUT, STARTED, RunnerConnection, runner_command

if TYPE_CHECKING:
    from docker import DockerClient

WATCHDOG_GRACE_S = 3  # the host steps in this long after `timeout` should have
KILLED = 137
KILL_ROUNDS = 5
TIMED_OUT = 124
# The container's OOM-kill count (cgroup v1, then v2).
OOM_KILLS = ["sh", "-c", "cat /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events 2>/dev/null"
             " | awk '/^oom_kill /{print $2; exit}'"]


class DockerSandbox:
    """Sandbox protocol over docker-py; `notify` tells the user when the container had to be rebuilt;
    `masked` lists workspace files hidden from the container (read as empty, never written)."""

    isolated = True

    def __init__(self, client: DockerClient, settings: SandboxConfig, workspace: Path, *, image: str, network: bool,
                 runtime: str | None, notify: Callable[[str], None], masked: Sequence[str] = ()) -> None:
        self.settings = settings
        self._client = client
        self._user: SandboxUser = prepare_workspace(workspace)
        self._args = container_args(settings, workspace, self._user, image=image, network=network,
                                    runtime=runtime, masked=masked)
        self._notify = notify
        self._lock = threading.Lock()
        self._stopped = threading.Event()  # set when the running command was killed by cancel()
        self._container = self._start()
        self._runner: RunnerConnection | None = None  # started by the first command
        self._oom_kills = 0
        self._recreated = False

    def _start(self) -> Any:
        try:
            return self._client.containers.run(**self._args)
        except Exception as exc:  # noqa: BLE001 - docker-py raises several types; all mean "cannot start"
            raise SandboxError(f"could not start the sandbox container: {_reason(exc)}",
                               hint="check `victor sandbox status` and `victor doctor`") from None

    def describe(self) -> str:
        network = "network" if self._args["network_mode"] != "none" else "no network"
        runtime = self._args["runtime"] or "runc"
        return f"docker {self._args['image']} ({runtime}, {network}, uid {self._user.uid})"

    def shell_args(self) -> list[str]:
        """`docker exec` arguments for an interactive shell as the sandbox user (`victor sandbox shell`)."""
        env = [f"--env={name}={value}" for name, value in sandbox_env(self.settings).items()]
        return [f"--user={self._user.spec}", f"--workdir={WORKDIR}", *env, self._container.id]

    def exec(self, command: str, *, timeout_s: float | None = None,
             on_output: Callable[[str], None] | None = None) -> ExecResult:
        timeout = timeout_s or self.settings.timeout_s
        with self._lock:
            self._stopped.clear()
            self._recreated = False
            started = time.monotonic()
            output = CappedOutput(self.settings.output_limit_bytes, on_output)
            exit_code, hung = self._run(command, timeout, output)
            duration = time.monotonic() - started
            timed_out = exit_code == TIMED_OUT or (exit_code == KILLED and duration >= timeout and not output.truncated)
            out_of_memory = exit_code == KILLED and not (timed_out or output.truncated) and self._oom_killed()
            self._recover(hung, out_of_memory)
        text = output.text()
        if timed_out:
            text += f"\n[victor: timed out after {timeout:g} s; the command was killed]"
        if out_of_memory:
            text += f"\n[victor: the command ran out of memory (limit {self.settings.memory}) and was killed]"
        return ExecResult(exit_code, text, int(duration * 1000), timed_out, output.truncated, self._recreated)

    def cancel(self) -> None:
        self._stopped.set()
        self._kill_user_processes()

    def close(self) -> None:
        self._drop_runner()
        try:
            self._container.remove(force=True)
        except Exception:  # noqa: BLE001, S110 - already gone; `victor sandbox prune` sweeps leftovers
            pass

    def _run(self, command: str, timeout: float, output: CappedOutput) -> tuple[int, bool]:
        """The command's exit code, and whether the watchdog had to close a hung stream. When the runner
        dies, nothing it started may outlive it; one found dead before it started the command is replaced.
        A cancel() that lands before the command runs still stops it."""
        for _ in range(2):
            if self._stopped.is_set():  # cancelled while the runner was still starting
                return KILLED, False
            runner = self._runner or self._start_runner()
            code, started, hung = self._stream(runner, command, timeout, output)
            if code is not None:
                return code, False
            self._drop_runner()
            self._kill_user_processes()
            if hung or started:
                return KILLED, hung
        raise SandboxError("the sandbox's command runner stops as soon as it starts",
                           hint="rebuild the image with `victor sandbox build --offline`")

    def _start_runner(self) -> RunnerConnection:
        """A new runner (a `docker exec`); a container that is gone or stopped is first recreated."""

        def start() -> RunnerConnection:
            exec_id = self._client.api.exec_create(self._container.id, runner_command(), stdin=True,
                                                   user=self._user.spec, workdir=WORKDIR,
                                                   environment=sandbox_env(self.settings))["Id"]
            return RunnerConnection(self._client.api.exec_start(exec_id, socket=True))

        try:
            self._runner = start()
        except Exception as exc:  # noqa: BLE001 - docker-py raises several types; all mean "not usable"
            self._restart(f"the sandbox container stopped answering ({_reason(exc)})")
            self._runner = start()
        return self._runner

    def _drop_runner(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def _stream(self, runner: RunnerConnection, command: str, timeout: float,
                output: CappedOutput) -> tuple[int | None, bool, bool]:
        """Run `command` on `runner`, copying its output into `output`: (exit code, or None when the runner's
        stream ended first; whether the runner had started the command; whether the watchdog fired)."""
        fired = threading.Event()

        def watchdog() -> None:
            fired.set()
            self._kill_user_processes()
            runner.shutdown()

        timer = threading.Timer(timeout + KILL_AFTER_S + WATCHDOG_GRACE_S, watchdog)
        timer.daemon = True
        timer.start()
        started = False
        try:
            runner.send(command, timeout)
            for kind, payload in runner.frames():
                if kind == STARTED:
                    started = True
                    if self._stopped.is_set():  # cancel() came before there was a command to kill
                        self._kill_user_processes()
                elif kind == OUTPUT:
                    flooded = output.truncated
                    output.add(payload)
                    if output.truncated and not flooded:  # stop a flood rather than drain it for nothing
                        self._kill_user_processes()
                elif kind == EXIT:
                    return int(payload), started, False
        except OSError:
            pass  # the runner is gone, or the watchdog closed its stream
        finally:
            timer.cancel()
        return None, started, fired.is_set()

    def _kill_user_processes(self) -> None:
        """SIGKILL, from the host, every process of the sandbox user in the container (`docker top` gives
        their host PIDs). Never from a second exec: killing an exec while runc sets it up hangs its stream."""
        for _ in range(KILL_ROUNDS):  # a fork bomb may spawn more while we kill
            try:
                listing = self._client.api.top(self._container.id, ps_args="-o pid,uid")["Processes"] or []
            except Exception:  # noqa: BLE001 - a dead container has nothing left to kill
                return
            pids = [int(pid) for pid, uid in listing if int(uid) == self._user.uid]
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def _oom_killed(self) -> bool:
        """Whether the kernel's OOM killer struck since the last check (the count only grows)."""
        if self._stopped.is_set():
            return False
        try:
            exec_id = self._client.api.exec_create(self._container.id, OOM_KILLS, user=self._user.spec)["Id"]
            count = int(self._client.api.exec_start(exec_id).strip() or 0)
        except Exception:  # noqa: BLE001 - no answer: the container itself is gone, rebuilt on next exec
            return False
        struck, self._oom_kills = count > self._oom_kills, count
        return struck

    def _recover(self, hung: bool, out_of_memory: bool) -> None:
        """Rebuild the container after an OOM kill (tmpfs may hold the memory) or a hang."""
        if hung:
            self._restart("a command hung and could not be killed inside the sandbox")
        elif out_of_memory:
            self._restart(f"a command ran out of memory (limit {self.settings.memory})")

    def _restart(self, why: str) -> None:
        self._notify(f"{why}; the sandbox container was recreated (files outside the workspace are gone)")
        self.close()
        self._container = self._start()
        self._oom_kills = 0
        self._recreated = True


def _reason(exc: Exception) -> str:
    """The first line of what Docker said, without docker-py's HTTP preamble."""
    text = str(getattr(exc, "explanation", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
