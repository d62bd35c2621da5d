"""The resident command runner: one long-lived process per sandbox container, so a command costs a
fork in the container instead of a `docker exec` (~90 ms of engine work each).

The host starts `python3 -c RUNNER` once with `docker exec -i` as the sandbox user and keeps the socket.
Each request is one JSON line (command, timeout). The runner spawns `timeout -k` `bash -c
COMMAND` with stdout and stderr on one pipe and stdin on a pipe nobody ever writes (a command that reads
stdin waits for its timeout), and answers in frames of `kind (1 byte) + length (4 bytes) + payload`:
STARTED once the command runs, OUTPUT chunks, then EXIT with the exit code. When `timeout` returns it
sends SIGKILL to -1, which on Linux reaches every process of the sandbox user except the runner itself,
so `setsid nohup` escapees die with their command while the runner lives on.

The runner makes itself non-dumpable, so a command running as the same user can neither ptrace it nor
read or write its memory through /proc and take it over to outlive its command. It names itself
`victor-runner` in `ps`. The host keeps its watchdog, which kills the runner with everything else; the
next command then starts a new one.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Iterator
from typing import Any

KILL_AFTER_S = 2  # `timeout -k`: SIGTERM first, SIGKILL this long after
HEADER = struct.Struct(">cI")
STARTED, OUTPUT, EXIT = b"s", b"o", b"x"

RUNNER = f"""
import ctypes, json, os, select, signal, struct, subprocess, sys
# the environment as `docker exec` gave it, read before it is non-dumpable
# (Python may since have added LC_CTYPE to os.environ)
with open("/proc/self/environ", "rb") as f:
    env = dict(item.split(b"=", 1) for item in f.read().split(b"\\0") if b"=" in item)
libc = ctypes.CDLL(None)
libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: no ptrace, no /proc/PID/mem for the commands
libc.prctl(15, b"victor-runner", 0, 0, 0)  # PR_SET_NAME
stdin, _never_written = os.pipe()
out = sys.stdout.buffer

def send(kind, data=b""):
    out.write(struct.pack(">cI", kind, len(data)) + data)
    out.flush()

def pump(fd):
    data = os.read(fd, 65536)
    if data:
        send(b"{OUTPUT.decode()}", data)
    return bool(data)

for line in sys.stdin.buffer:
    request = json.loads(line)
    reader, writer = os.pipe()
    child = subprocess.Popen(["timeout", "-k", "{KILL_AFTER_S}", request["timeout"], "bash", "-c", request["command"]],
                             stdin=stdin, stdout=writer, stderr=writer, env=env)
    os.close(writer)
    send(b"{STARTED.decode()}")
    exited = os.pidfd_open(child.pid)
    poll = select.poll()
    poll.register(reader, select.POLLIN)
    poll.register(exited, select.POLLIN)
    running = True
    while running:
        for fd, _ in poll.poll():
            if fd == exited:
                running = False
            elif not pump(reader):
                poll.unregister(reader)
    code = child.wait()
    code = 128 - code if code < 0 else code  # killed by a signal: the shell's convention, 137 for SIGKILL
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while pump(reader):
        pass
    os.close(reader)
    os.close(exited)
    send(b"{EXIT.decode()}", str(code).encode())
"""


def runner_command() -> list[str]:
    """The `docker exec` command line that starts the runner (isolated mode, no site packages)."""
    return ["python3", "-I", "-S", "-c", RUNNER]


class RunnerConnection:
    """The host's end of one runner: send a request, read its frames. Any OSError means the runner is gone."""

    def __init__(self, stream: Any) -> None:
        from docker.utils.socket import frames_iter

        self._stream = stream
        self._socket: socket.socket = getattr(stream, "_sock", stream)
        self._chunks = (data for kind, data in frames_iter(self._socket, tty=False) if kind == 1)  # stdout only
        self._buffer = bytearray()

    def send(self, command: str, timeout_s: float) -> None:
        request = {"command": command, "timeout": f"{timeout_s:g}"}
        self._socket.sendall(json.dumps(request).encode() + b"\n")

    def frames(self) -> Iterator[tuple[bytes, bytes]]:
        """(kind, payload) as they arrive; ends when the runner's stream does."""
        while True:
            if len(self._buffer) >= HEADER.size:
                kind, length = HEADER.unpack_from(self._buffer)
                end = HEADER.size + length
                if len(self._buffer) >= end:
                    payload = bytes(self._buffer[HEADER.size:end])
                    del self._buffer[:end]
                    yield kind, payload
                    continue
            chunk = next(self._chunks, None)
            if chunk is None:
                return
            self._buffer += chunk

    def shutdown(self) -> None:
        """End the stream now (the watchdog's last resort); `frames` then ends."""
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    def close(self) -> None:
        self.shutdown()
        self._stream.close()
