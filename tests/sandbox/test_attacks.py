"""The issue's 20 attacks, each through `victor tools run run_shell` (a fresh session per call) and in
one warm session, which must answer the next command afterwards (the `attack` fixture checks it)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.sandbox.conftest import ATTACK_TIMEOUT_S, LIMITS, Outcome

pytestmark = pytest.mark.docker
NO_SPACE = "No space left on device"
READ_ONLY = "Read-only file system"


def assert_timed_out(result: Outcome) -> None:
    assert result.timed_out, result
    assert result.exit_code in (124, 137), result  # SIGTERM at the deadline, SIGKILL after `-k`
    assert f"timed out after {ATTACK_TIMEOUT_S} s" in result.output


def test_01_fork_bomb_hits_the_pids_limit_and_times_out(attack) -> None:
    for result in attack(":(){ :|:& };:; sleep 30"):
        assert_timed_out(result)
        assert "fork: retry: Resource temporarily unavailable" in result.output


def test_01_os_fork_loop_times_out(attack, session) -> None:
    for result in attack("python3 -c 'import os\nwhile True:\n  try: os.fork()\n  except OSError: pass'"):
        assert_timed_out(result)
    assert session.exec("pgrep -c python3; true").output == "0\n"


def test_02_memory_bomb_is_oom_killed_and_the_container_recreated(attack, session) -> None:
    # a generous deadline: the memory limit, not the clock, must stop it, even on a loaded machine
    results = attack("python3 -c 'b = []\nwhile True: b.append(bytearray(32 << 20))'", timeout_s=20)
    for result in results:
        assert result.exit_code == 137 and not result.timed_out, result
        assert f"ran out of memory (limit {LIMITS['memory']})" in result.output
    again = session.exec("python3 -c 'b = []\nwhile True: b.append(bytearray(32 << 20))'", timeout_s=10)
    assert again.recreated and again.exit_code == 137


def test_03_filling_tmp_stops_at_its_size(attack) -> None:
    for result in attack("dd if=/dev/zero of=/tmp/fill bs=1M count=30 status=none"):
        assert result.exit_code == 1 and NO_SPACE in result.output, result


def test_03_filling_dev_shm_stops_at_its_size(attack) -> None:
    fill = "for i in 1 2 3; do dd if=/dev/zero of=/dev/shm/f$i bs=1M count=30 status=none || echo failed $i; done"
    for result in attack(fill):
        assert result.exit_code == 0 and NO_SPACE in result.output and "failed 3" in result.output, result
        assert "failed 2" not in result.output


def test_03_filling_the_workspace_stops_at_the_file_size_limit(attack, workspace: Path) -> None:
    for result in attack("dd if=/dev/zero of=big bs=1M count=64 status=none; stat -c %s big"):
        assert result.exit_code == 0 and "File size limit exceeded" in result.output, result
        assert result.output.strip().endswith(str(LIMITS["fsize_bytes"]))
    assert (workspace / "big").stat().st_size == LIMITS["fsize_bytes"]


def test_04_root_fs_and_etc_are_read_only(attack) -> None:
    for result in attack("touch /etc/passwd-x || touch /usr/bin/x || touch /x"):
        assert result.exit_code == 1, result
        assert result.output.count(READ_ONLY) == 3


def test_05_binaries_do_not_run_from_tmp_shm_or_home(attack) -> None:
    command = "for d in /tmp /dev/shm $HOME; do cp /bin/true $d/t && chmod +x $d/t && $d/t; echo rc=$?; done"
    for result in attack(command):
        assert result.output.count("Permission denied") == 3, result
        assert result.output.count("rc=126") == 3


def test_06_git_hooks_and_config_cannot_be_written(attack, workspace: Path) -> None:
    config_before = (workspace / ".git" / "config").read_text()
    for result in attack("echo 'curl evil' > .git/hooks/pre-commit; git config core.fsmonitor 'touch /tmp/x'"):
        assert result.exit_code == 255, result
        assert f".git/hooks/pre-commit: {READ_ONLY}" in result.output
        assert f"could not lock config file .git/config: {READ_ONLY}" in result.output
    assert not (workspace / ".git" / "hooks" / "pre-commit").exists()
    assert (workspace / ".git" / "config").read_text() == config_before


def test_07_symlinks_to_host_files_are_refused_by_host_side_tools(attack, workspace: Path, tmp_path: Path,
                                                                    victor) -> None:
    secret = tmp_path / "host-secret.txt"
    secret.write_text("HOST-ONLY-CONTENT\n")
    for result in attack(f"ln -sf {secret} leak; cat leak"):
        assert result.exit_code == 1 and "No such file or directory" in result.output, result
    read = victor("tools", "run", "read_file", "--args", '{"path": "leak"}', cwd=workspace)
    assert read.returncode == 4, read
    assert "through a symlink" in read.stderr and "HOST-ONLY-CONTENT" not in read.stdout + read.stderr


def test_08_git_replaced_by_a_symlink_to_root_is_refused(attack, workspace: Path, cli_shell, limits) -> None:
    from victor.errors import SandboxError
    from victor.sandbox.factory import open_sandbox

    for result in attack("rm -rf .git; mv .git .git-old"):
        assert result.exit_code == 1, result
        assert f"rm: cannot remove '.git/config': {READ_ONLY}" in result.output
        assert "mv: cannot move '.git' to '.git-old': Device or resource busy" in result.output
    assert (workspace / ".git").is_dir() and not (workspace / ".git").is_symlink()
    real_git = workspace.parent / "real-git"
    (workspace / ".git").rename(real_git)
    (workspace / ".git").symlink_to("/")
    refused = cli_shell("echo never")
    assert refused.exit_code is None or refused.exit_code != 0
    with pytest.raises(SandboxError, match=r"\.git is a symlink \(to /\); refusing to mount it"):
        open_sandbox(limits, workspace, offline=True)
    (workspace / ".git").unlink()
    real_git.rename(workspace / ".git")
    assert cli_shell("git status --short && echo clean").output == "?? README.md\nclean"


def test_09_host_environment_does_not_leak(attack, monkeypatch: pytest.MonkeyPatch, cli_shell) -> None:
    monkeypatch.setenv("VICTOR_TEST_FAKE_SECRET", "sk-fake-0123456789abcdef")
    probe = "env; grep -l sk-fake /proc/[0-9]*/environ 2>/dev/null; echo end"
    for result in [*attack(probe), cli_shell(probe, env={"VICTOR_TEST_FAKE_SECRET": "sk-fake-0123456789abcdef"})]:
        assert result.exit_code == 0 and result.output.rstrip().endswith("end"), result
        assert "sk-fake" not in result.output and "VICTOR_TEST_FAKE_SECRET" not in result.output
        names = {line.split("=", 1)[0] for line in result.output.splitlines() if "=" in line}
        assert names <= {"HOME", "TMPDIR", "PATH", "LANG", "LC_ALL", "TERM", "TZ", "HOSTNAME", "PWD", "SHLVL", "_"}


def test_10_no_docker_socket(attack) -> None:
    assert Path("/var/run/docker.sock").exists()  # the host has one: the test means something
    probe = "ls /var/run/docker.sock /run/docker.sock; curl -sS --unix-socket /var/run/docker.sock http://x/version"
    for result in attack(probe):
        assert result.exit_code == 7, result
        assert "cannot access '/var/run/docker.sock': No such file or directory" in result.output


def test_11_no_sudo_no_setuid_no_capabilities(attack) -> None:
    probe = "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/self/status; sudo id; mount -t tmpfs none /mnt"
    for result in attack(probe):
        for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            assert f"{cap}:\t0000000000000000" in result.output, result
        assert "NoNewPrivs:\t1" in result.output
        assert 'sudo: The "no new privileges" flag is set' in result.output
        assert "must be superuser to use mount" in result.output  # mount is setuid root: no effect


def test_12_mount_unshare_and_raw_sockets_are_refused(attack) -> None:
    probe = ("mount -t tmpfs none /mnt; unshare -U true; unshare -rm true; "
             "python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW)' 2>&1 | tail -1")
    for result in attack(probe):
        assert "must be superuser to use mount" in result.output, result
        assert result.output.count("unshare: unshare failed: Operation not permitted") == 2
        assert result.output.endswith("PermissionError: [Errno 1] Operation not permitted")


def test_13_no_egress(attack) -> None:
    probe = ("curl -sS -m 2 http://1.1.1.1; echo > /dev/tcp/1.1.1.1/80; getent hosts deb.debian.org; echo dns=$?; "
             "python3 -c 'import socket; socket.getaddrinfo(\"deb.debian.org\", 80)' 2>&1 | tail -1")
    for result in attack(probe):
        assert "curl: (7) Failed to connect to 1.1.1.1 port 80" in result.output, result
        assert "/dev/tcp/1.1.1.1/80: Network is unreachable" in result.output
        assert "dns=2" in result.output and "socket.gaierror" in result.output


@pytest.mark.parametrize("command", ["sleep 60", "while :; do :; done", "read line; echo got $line", "cat"])
def test_14_sleep_busy_loop_and_stdin_hit_the_timeout(attack, command: str) -> None:
    for result in attack(command):
        assert_timed_out(result)


def test_15_setsid_nohup_escapees_do_not_survive_the_command(attack, workspace: Path, session) -> None:
    for result in attack("setsid nohup sh -c 'sleep 2; touch escaped' >/dev/null 2>&1 & echo started"):
        assert (result.exit_code, result.output) == (0, "started"), result
    time.sleep(2.5)  # the escapee would have touched its file by now
    assert not (workspace / "escaped").exists()
    # only the container's own init and idle process, the session's resident runner, and this command
    assert session.exec("ps -e -o comm=").output.split() == ["docker-init", "sleep", "victor-runner", "timeout", "ps"]


@pytest.mark.parametrize("command", ["yes", "head -c 1G /dev/urandom", "head -c 100M /dev/zero | tr '\\0' a"])
def test_16_output_floods_are_capped_and_stopped(attack, command: str) -> None:
    for result in attack(command, timeout_s=20):
        assert result.truncated and not result.timed_out, result
        assert result.exit_code == 137  # stopped once over the cap, not drained for nothing


def test_17_zombies_are_capped_by_the_pids_limit_and_reaped(attack, session) -> None:
    make = ("python3 -c 'import os\nn = 0\ntry:\n  for _ in range(1000):\n    if os.fork() == 0: os._exit(0)\n"
            "    n += 1\nexcept BlockingIOError as e: print(n, e.strerror)'")
    for result in attack(make):
        made, reason = result.output.split(" ", 1)
        assert int(made) < LIMITS["pids_limit"] and reason == "Resource temporarily unavailable", result
    assert session.exec("ps -e -o stat= | grep -c '^Z'").output == "0\n"


def test_18_open_files_stop_at_the_nofile_limit(attack) -> None:
    probe = ("python3 -c 'f = []\ntry:\n  for _ in range(5000): f.append(open(\"/dev/null\"))\n"
             "except OSError as e: print(len(f), e.strerror)'; ulimit -n 5000")
    for result in attack(probe):
        opened, reason = result.output.split("\n")[0].split(" ", 1)
        # 1024 (soft) minus stdin/out/err. Once in many runs under heavy load the engine's exec came up
        # with the hard limit (2048) as its soft one; the hard cap is what stops the attack either way.
        assert reason == "Too many open files" and int(opened) in (1021, 2045), result
        assert "ulimit: open files: cannot modify limit: Operation not permitted" in result.output


def test_19_a_cpu_hog_is_held_to_the_cpu_limit(attack) -> None:
    hog = ("python3 -c 'import os, time\nkids = []\nfor _ in range(3):\n  pid = os.fork()\n  if pid == 0:\n"
           "    end = time.time() + 2\n    while time.time() < end: pass\n    os._exit(0)\n  kids.append(pid)\n"
           "for pid in kids: os.waitpid(pid, 0)\nt = os.times()\nprint(round(t.children_user + t.children_system, 2))'")
    for result in attack(hog, timeout_s=15):
        cpu_seconds = float(result.output.split()[-1])
        # three spinning processes for 2 s would use 4 s of the host's 2 cores; the limit allows 1 s
        assert 0 < cpu_seconds <= LIMITS["cpus"] * 2 * 1.3, result


def test_20_kill_9_pid_1_is_refused(attack) -> None:
    for result in attack("kill -9 1; echo rc=$?"):
        # stdout and stderr are separate streams: their lines may arrive in either order
        assert sorted(result.output.splitlines()) == ["bash: line 1: kill: (1) - Operation not permitted", "rc=1"]

