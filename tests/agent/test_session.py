"""The Session API the TUI and `victor run` drive: transcripts, --resume/--continue, undo, status,
and the `victor run` / `victor undo` command lines (exit codes, the --json stream's last line)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.agent.conftest import FixedSelector
from tests.routing.conftest import fake_github_pat
from tests.support.scripted_provider import ScriptedProvider
from victor import paths
from victor.errors import ConfigError, UsageError
from victor.providers.base import Message, TextDelta, ToolCall
from victor.session import Session


def scripted_session(repo: Path, scripts: list, **kwargs) -> Session:
    return Session.open(repo, selector=FixedSelector(ScriptedProvider(scripts)), **kwargs)


def test_run_edit_undo_and_status(repo: Path) -> None:
    session = scripted_session(repo, [
        [ToolCall("c1", "edit_file", {"path": "app.py", "old_text": "41", "new_text": "42"})], [TextDelta("done")],
        [ToolCall("c2", "write_file", {"path": "app.py", "content": "broken"})], [TextDelta("done again")],
    ], approval="auto-edit")
    first = list(session.run("fix the answer"))
    assert first[0].type == "session" and first[0].workspace == str(repo)
    assert first[-1].ok and (repo / "app.py").read_text() == "def answer():\n    return 42\n"
    second = list(session.run("now break it"))
    assert second[0].type == "route" and (repo / "app.py").read_text() == "broken"
    assert session.undo() == ["app.py"]  # the last set of edits only
    assert (repo / "app.py").read_text() == "def answer():\n    return 42\n"
    assert session.undo() == ["app.py"]
    assert (repo / "app.py").read_text() == "def answer():\n    return 41\n"
    with pytest.raises(UsageError, match="nothing to undo"):
        session.undo()
    status = session.status()
    assert (status.profile, status.location, status.approval_mode) == ("scripted", "local", "auto-edit")
    assert status.output_tokens == 40 and status.sandbox == "docker (not started)"
    session.close()


def test_transcripts_resume_and_continue(repo: Path) -> None:
    session = scripted_session(repo, [[TextDelta("first answer")]])
    list(session.run("remember the number 7"))
    session.close()
    saved = paths.sessions_dir() / session.id / "messages.jsonl"
    assert [json.loads(line)["role"] for line in saved.read_text().splitlines()] == ["system", "user", "assistant"]
    provider = ScriptedProvider([[TextDelta("7")]])
    resumed = Session.open(repo, continue_last=True, selector=FixedSelector(provider))
    assert resumed.id == session.id
    list(resumed.run("what number?"))
    sent = [m.content for m in provider.calls[0][0]]
    assert sent[1].startswith("remember the number 7") and "first answer" in sent and sent[-1] == "what number?"
    assert Session.open(repo, resume=session.id, selector=FixedSelector(provider)).id == session.id
    with pytest.raises(UsageError, match="no session"):
        Session.open(repo, resume="nope")


def test_switch_profile_checks_the_name(repo: Path) -> None:
    session = scripted_session(repo, [])
    session.switch_profile("embedded")
    assert session.status().profile == "embedded"
    with pytest.raises(ConfigError, match="no profile named"):
        session.switch_profile("nope")


def test_victor_undo_restores_the_latest_sessions_last_edits(repo: Path, victor) -> None:
    session = scripted_session(repo, [[ToolCall("c1", "write_file", {"path": "new.txt", "content": "x"})],
                                      [TextDelta("ok")]], approval="auto-edit")
    list(session.run("create new.txt"))
    session.close()
    assert (repo / "new.txt").exists()
    done = victor("undo", cwd=repo)
    assert done.returncode == 0 and "restored 1 file(s): new.txt" in done.stdout
    assert not (repo / "new.txt").exists()
    again = victor("undo", cwd=repo)
    assert again.returncode == 2 and "nothing to undo" in again.stderr


def test_victor_run_json_ends_with_done_even_when_it_cannot_start(repo: Path, victor) -> None:
    done = victor("run", "--json", "--profile", "nope", "hi", cwd=repo)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 2 and [line["type"] for line in lines] == ["error", "done"]
    assert lines[-1]["exit_code"] == 2 and "ts" in lines[-1]
    assert victor("run", "--resume", "x", "--continue", "hi", cwd=repo).returncode == 2
    assert victor("run", "--approval", "sometimes", "hi", cwd=repo).returncode == 2


def test_no_tools_is_a_plain_completion(repo: Path) -> None:
    provider = ScriptedProvider([[TextDelta("a haiku")]])
    session = Session.open(repo, no_tools=True, selector=FixedSelector(provider))
    events = list(session.run("Write a haiku about git"))
    assert [e.type for e in events] == ["session", "route", "text", "usage", "done"]
    messages, tools = provider.calls[0]
    assert tools == [] and "Use the tools" not in messages[0].content


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_session_files_are_private_and_transcripts_hold_no_secret(repo: Path, victor) -> None:
    token = fake_github_pat(5)
    original = f"registry login\ntoken = {token}\n".encode()
    (repo / "deploy.txt").write_bytes(original)
    paths.sessions_dir().mkdir(mode=0o755, parents=True)  # as older versions left it
    paths.sessions_dir().chmod(0o755)
    session = scripted_session(repo, [
        [ToolCall("c1", "read_file", {"path": "deploy.txt"})],
        [ToolCall("c2", "edit_file", {"path": "deploy.txt", "old_text": "registry", "new_text": "mirror"})],
        [TextDelta("done")]], approval="auto-edit")
    assert list(session.run("rename the registry in deploy.txt"))[-1].ok
    session.close()
    directory = paths.sessions_dir() / session.id
    assert mode(paths.sessions_dir()) == 0o700
    written = [directory, *directory.rglob("*")]
    assert {(path.name, mode(path)) for path in written if path.is_dir()} == {
        (session.id, 0o700), ("snapshots", 0o700), ("1", 0o700)}
    assert {mode(path) for path in written if path.is_file()} == {0o600}
    transcript = (directory / "messages.jsonl").read_text()
    assert token not in transcript and "SECRET:github-pat:1" in transcript
    assert (directory / "snapshots" / "1" / "0.orig").read_bytes() == original  # the user's bytes, for undo
    assert victor("undo", cwd=repo).returncode == 0
    assert (repo / "deploy.txt").read_bytes() == original


CLOUD_AND_LOCAL = """
default_profile: local
profiles:
  local: {provider: openai-compatible, model: local-coder, base_url: "http://127.0.0.1:9/v1"}
  cloud: {provider: openai, model: gpt-4o-mini, api_key: test-key}
routing: {local_profile: local, cloud_profile: cloud, local_tasks: [refactoring], cloud_tasks: [general]}
data_classes:
  restricted: {paths: ["secrets/**"], providers: [openai-compatible]}
"""


def test_the_session_data_class_only_rises_and_is_kept_with_the_record(repo: Path, victor_home: Path) -> None:
    (victor_home / "profiles.yaml").write_text(CLOUD_AND_LOCAL)
    (repo / "secrets").mkdir()
    (repo / "secrets" / "plan.md").write_text("Acquisition of Initech closes in March.\n")
    first = Session.open(repo)
    first.conversation.add(Message("user", "what does secrets/plan.md say?"))
    assert first.selector.select(first.conversation).route.location == "local"
    first.close()  # no transcript was written: only the record remembers the file
    meta = json.loads((paths.sessions_dir() / first.id / "meta.json").read_text())
    assert meta["data_class"] == {"level": "restricted", "path": "secrets/plan.md", "pattern": "secrets/**"}
    resumed = Session.open(repo, resume=first.id)
    resumed.conversation.add(Message("user", "and in general?"))
    route = resumed.selector.select(resumed.conversation).route
    assert route.location == "local"
    assert "restricted (secrets/plan.md matches 'secrets/**'); may go to openai-compatible" in route.reasons
    resumed.close()
    fresh = Session.open(repo)
    fresh.conversation.add(Message("user", "and in general?"))
    assert fresh.selector.select(fresh.conversation).route.location == "cloud"
    fresh.close()
