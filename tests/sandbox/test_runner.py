"""The resident runner: one per session, not a take-over target for the commands it runs, and replaced
without fuss (nor a rebuilt container) when it dies between or during commands."""

from __future__ import annotations

import os
import signal

import pytest

pytestmark = pytest.mark.docker
RUNNER_PID = "pgrep -x victor-runner"


def test_one_runner_serves_every_command(session) -> None:
    first = session.exec(RUNNER_PID).output
    assert first.strip().isdigit() and session.exec(RUNNER_PID).output == first


def test_commands_can_neither_trace_nor_rewrite_the_runner(session) -> None:
    probe = ("python3 -c 'import ctypes, os, subprocess\npid = int(subprocess.check_output([\"pgrep\", \"-x\", "
             "\"victor-runner\"]))\nlibc = ctypes.CDLL(None, use_errno=True)\n"
             "print(\"ptrace\", libc.ptrace(16, pid, 0, 0), ctypes.get_errno())\n"
             "try: open(f\"/proc/{pid}/mem\", \"r+b\")\nexcept PermissionError as e: print(\"mem\", e.strerror)'")
    result = session.exec(probe)
    assert result.output == "ptrace -1 1\nmem Permission denied\n", result


def test_a_runner_killed_between_commands_is_replaced_quietly(session, capsys: pytest.CaptureFixture[str]) -> None:
    from victor.sandbox.engine import connect

    before = session.exec(RUNNER_PID).output
    listing = connect().api.top(session._container.id, ps_args="-o pid,comm")["Processes"]
    (host_pid,) = [int(pid) for pid, comm in listing if comm == "victor-runner"]
    os.kill(host_pid, signal.SIGKILL)
    after = session.exec("echo ok")
    assert (after.exit_code, after.output, after.recreated) == (0, "ok\n", False), after
    assert session.exec(RUNNER_PID).output != before
    assert capsys.readouterr().err == ""


def test_a_runner_killed_by_its_own_command_ends_that_command_only(session) -> None:
    killed = session.exec("echo before; pkill -9 -x victor-runner; sleep 5; echo never")
    assert (killed.exit_code, killed.output, killed.recreated) == (137, "before\n", False), killed
    assert session.exec("echo ok").output == "ok\n"


def test_cancel_while_idle_leaves_the_session_usable(session) -> None:
    session.cancel()
    result = session.exec("echo ok")
    assert (result.exit_code, result.output, result.recreated) == (0, "ok\n", False), result
