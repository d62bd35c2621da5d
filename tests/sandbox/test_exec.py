"""The warm session's exec: output, exit codes, ownership, network, cancel, a hung container, the
messages when Docker, the image or the sandbox itself is missing, and the audit trail."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from victor.config.schema import SandboxConfig
from victor.errors import SandboxError

pytestmark = pytest.mark.docker


def test_output_exit_code_and_streaming(session) -> None:
    chunks: list[str] = []
    result = session.exec("echo out; echo err >&2; exit 3", on_output=chunks.append)
    assert result.exit_code == 3 and not result.timed_out and not result.truncated
    assert sorted(result.output.splitlines()) == ["err", "out"]
    assert sorted("".join(chunks).splitlines()) == ["err", "out"]


def test_terminal_escapes_are_stripped(session) -> None:
    result = session.exec(r"printf '\033[2J\033]0;pwned\007\033[31mred\033[0m\r\n\xc2\x9b5m'")
    assert result.output == "red\n"


def test_files_written_in_the_workspace_belong_to_the_sandbox_user_never_root(session, workspace: Path) -> None:
    from victor.sandbox.lockdown import sandbox_user

    assert session.exec("id -u; echo made > made.txt").exit_code == 0
    expected = sandbox_user(workspace).uid
    assert expected != 0 and (workspace / "made.txt").stat().st_uid == expected
    assert (workspace / "README.md").stat().st_uid == workspace.stat().st_uid  # existing files keep their owner
    assert f"uid {expected}" in session.describe()


def test_offline_always_means_no_network(sandbox_image: str, workspace: Path) -> None:
    from victor.sandbox.engine import LABEL, connect
    from victor.sandbox.factory import open_sandbox

    sandbox = open_sandbox(SandboxConfig(network=True), workspace, offline=True)
    try:
        mine = connect().containers.list(filters={"label": f"{LABEL}.workspace={workspace.resolve()}"})
        assert [c.attrs["HostConfig"]["NetworkMode"] for c in mine] == ["none"]
        assert "no network" in sandbox.describe()
    finally:
        sandbox.close()


def test_cancel_kills_the_running_command_and_the_session_goes_on(session) -> None:
    threading.Timer(0.5, session.cancel).start()
    started = time.monotonic()
    result = session.exec("sleep 30", timeout_s=30)
    assert result.exit_code == 137 and not result.timed_out and time.monotonic() - started < 5
    assert session.exec("echo ok").output == "ok\n"


def test_cancel_before_the_command_starts_still_stops_it(session) -> None:
    session.close()  # no container and no runner: the next exec must recreate both first
    threading.Timer(0.01, session.cancel).start()
    started = time.monotonic()
    result = session.exec("sleep 30", timeout_s=30)
    assert result.exit_code == 137 and not result.timed_out and time.monotonic() - started < 10
    assert session.exec("echo ok").output == "ok\n"


def test_a_hung_container_is_recreated_and_the_user_told(session, capsys: pytest.CaptureFixture[str]) -> None:
    from victor.sandbox.engine import connect

    container = connect().containers.get(session._container.id)
    threading.Timer(0.3, container.pause).start()  # frozen: `timeout` inside can never fire
    result = session.exec("sleep 30", timeout_s=1)
    assert result.recreated and result.exit_code == 137
    assert "a command hung" in capsys.readouterr().err
    assert session.exec("echo ok").output == "ok\n"


def test_no_docker_engine_gives_one_clear_line(cli_shell, victor, workspace: Path) -> None:
    done = victor("tools", "run", "run_shell", "--approval", "full-auto", "--args", '{"command": "true"}',
                  cwd=workspace, env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    assert done.returncode == 1
    assert "Docker engine not reachable at unix:///nonexistent/docker.sock" in done.stderr
    assert "backend: none" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_image_says_how_to_build_it(workspace: Path, sandbox_image: str) -> None:
    from victor.sandbox.factory import open_sandbox

    with pytest.raises(SandboxError, match="victor-sandbox:absent is not on this machine"):
        open_sandbox(SandboxConfig(image="victor-sandbox:absent"), workspace, offline=True)


def test_unsandboxed_needs_the_users_profile_warns_and_is_audited(victor, victor_home: Path, workspace: Path) -> None:
    args = ("tools", "run", "run_shell", "--approval", "full-auto", "--args", '{"command": "echo host-side"}')
    (workspace / ".victor").mkdir()
    (workspace / ".victor" / "profiles.yaml").write_text("sandbox: {backend: none}\n")
    refused = victor(*args, cwd=workspace)
    assert refused.returncode == 2 and "turns the sandbox off" in refused.stderr
    (workspace / ".victor" / "profiles.yaml").unlink()
    (victor_home / "profiles.yaml").write_text("sandbox: {backend: none}\n")
    done = victor(*args, cwd=workspace)
    assert done.returncode == 0 and "host-side" in done.stdout
    assert "the sandbox is OFF" in done.stderr
    assert {"sandbox_disabled", "sandbox_exec"} <= set(_audit_actions(victor_home))


def test_every_command_is_audited(cli_shell, victor_home: Path) -> None:
    cli_shell("exit 5")
    records = [r for r in _audit_records(victor_home) if r.get("action") == "sandbox_exec"]
    assert len(records) == 1
    assert records[0]["exit_code"] == 5 and records[0]["timed_out"] is False and records[0]["command"] == "exit 5"


def _audit_records(home: Path) -> list[dict]:
    return [json.loads(line) for path in sorted((home / "audit").glob("*.log*")) for line in path.read_text().splitlines()
            if line.strip()]


def _audit_actions(home: Path) -> list[str]:
    return [record.get("action", "") for record in _audit_records(home)]


def test_profile_limits_reach_the_container(sandbox_image: str, workspace: Path, limits: SandboxConfig) -> None:
    from victor.sandbox.engine import LABEL, connect
    from victor.sandbox.factory import open_sandbox

    sandbox = open_sandbox(limits, workspace, offline=True)
    try:
        (container,) = connect().containers.list(filters={"label": f"{LABEL}.workspace={workspace.resolve()}"})
        host = container.attrs["HostConfig"]
        assert (host["ReadonlyRootfs"], host["CapDrop"], host["SecurityOpt"], host["Init"]) == (
            True, ["ALL"], ["no-new-privileges:true"], True)
        assert (host["Memory"], host["NanoCpus"], host["PidsLimit"]) == (256 << 20, 500_000_000, 128)
        assert host["Tmpfs"]["/tmp"] == "size=16m,noexec,nosuid,nodev"
        assert {u["Name"]: (u["Soft"], u["Hard"]) for u in host["Ulimits"]} == {
            "nofile": (1024, 2048), "fsize": (32 << 20, 32 << 20)}
        assert not any("docker.sock" in m["Source"] for m in container.attrs["Mounts"])
        assert container.labels[LABEL] == "session"  # labelled for `victor sandbox prune`
    finally:
        sandbox.close()

