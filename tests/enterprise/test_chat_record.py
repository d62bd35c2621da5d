"""The enterprise guide's audit record through the real CLI: `victor run` with a scripted model that
reads one file and writes another writes one `chat` record per turn (tool names in order, the files
touched, provider, model, success, session id) with `user` from `audit.user` in the user's file, else
VICTOR_USER; `audit export` carries the fields as JSON lines and CSV; `audit verify` still passes; a
project file cannot name the user."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.enterprise.conftest import audit_records
from tests.support.model_server import ModelServers

PROFILES = """\
default_profile: local
{audit}profiles:
  local: {{provider: openai-compatible, model: local-coder, base_url: "{url}"}}
"""
TURNS = [("read_file", {"path": "README.md"}), ("write_file", {"path": "notes.txt", "content": "seen\n"}),
         ("read_file", {"path": "README.md"}), "done"]


@pytest.fixture
def project(git_repo: Path) -> Path:
    (git_repo / "README.md").write_text("# Demo\n")
    (git_repo / "docs").mkdir()
    (git_repo / "docs" / "unrelated.md").write_text("not touched\n")
    return git_repo


def configure(home: Path, httpserver: HTTPServer, *, user: str | None) -> ModelServers:
    servers = ModelServers(httpserver, list(TURNS))
    audit = f"audit: {{user: {json.dumps(user)}}}\n" if user else ""
    (home / "profiles.yaml").write_text(PROFILES.format(audit=audit, url=servers.local_url))
    return servers


def test_one_chat_record_per_turn_as_the_guide_shows(project: Path, victor_home: Path, httpserver: HTTPServer,
                                                     victor) -> None:
    configure(victor_home, httpserver, user="john.doe@company.com")
    done = victor("run", "--json", "--approval", "auto-edit", "note what the readme says", cwd=project)
    assert done.returncode == 0, done.stderr
    session_id = json.loads(done.stdout.splitlines()[0])["id"]
    chats = audit_records(victor, project, "chat")
    assert len(chats) == 1
    chat = chats[0]
    assert {key: chat[key] for key in ("user", "action", "provider", "model", "tool_calls", "files_accessed",
                                       "success", "session_id")} == {
        "user": "john.doe@company.com", "action": "chat", "provider": "openai-compatible", "model": "local-coder",
        "tool_calls": ["read_file", "write_file", "read_file"], "files_accessed": ["README.md", "notes.txt"],
        "success": True, "session_id": session_id}
    assert "timestamp" in chat
    assert victor("audit", "verify", cwd=project).returncode == 0
    table = list(csv.DictReader(io.StringIO(victor("audit", "export", "--format", "csv", cwd=project).stdout)))
    row = next(row for row in table if row["action"] == "chat")
    assert (row["user"], row["tool_calls"], row["files_accessed"], row["success"]) == (
        "john.doe@company.com", '["read_file","write_file","read_file"]', '["README.md","notes.txt"]', "True")


def test_a_second_turn_gets_its_own_record_and_a_failed_turn_says_so(project: Path, victor_home: Path,
                                                                     httpserver: HTTPServer, victor) -> None:
    servers = configure(victor_home, httpserver, user=None)
    servers.turns[:] = ["first answer", ("write_file", {"path": "x.txt", "content": "x"}), "denied, so stopped"]
    assert victor("run", "--json", "hello", cwd=project, env={"VICTOR_USER": "ci-bot"}).returncode == 0
    victor("run", "--json", "--continue", "write x.txt", cwd=project, env={"VICTOR_USER": "ci-bot"})
    first, second = audit_records(victor, project, "chat")
    assert first["session_id"] == second["session_id"] and first["user"] == second["user"] == "ci-bot"
    assert (first["tool_calls"], first["files_accessed"]) == ([], [])
    assert second["tool_calls"] == ["write_file"] and second["files_accessed"] == []  # denied: nothing written
    assert not (project / "x.txt").exists()


def test_a_project_file_cannot_name_the_audit_user(project: Path, victor_home: Path, httpserver: HTTPServer,
                                                   victor) -> None:
    configure(victor_home, httpserver, user=None)
    (project / ".victor").mkdir()
    (project / ".victor" / "profiles.yaml").write_text("audit:\n  user: someone.else@company.com\n")
    done = victor("run", "hello", cwd=project)
    assert done.returncode == 2
    assert ".victor/profiles.yaml:2: a project file may tighten security but not loosen it: 'audit.user' changes " \
           "the user the audit log names" in done.stderr
