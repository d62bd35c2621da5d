"""Session transcripts under `$VICTOR_HOME/sessions/<id>/`: meta.json (workspace, profile, times, the
data class the session reached) and messages.jsonl (the conversation, every secret replaced by a
typed placeholder as in the audit log). Directories are 0700 and files 0600. `--resume ID` loads
one; `--continue` the latest for a workspace."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from victor import paths
from victor.agent.conversation import prepared
from victor.agent.private_files import private_directory, write_private
from victor.errors import UsageError
from victor.providers.base import Message, ToolCall


@dataclass
class SessionRecord:
    id: str
    workspace: str
    profile: str
    created: float
    updated: float
    data_class: dict[str, Any] | None = None  # routing.data_classes.saved(): the class only rises

    @property
    def directory(self) -> Path:
        return paths.sessions_dir() / self.id


def new_session(workspace: Path, profile: str) -> SessionRecord:
    now = time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    record = SessionRecord(f"{stamp}-{secrets.token_hex(3)}", str(workspace), profile, now, now)
    save_record(record)
    return record


def load_session(session_id: str) -> SessionRecord:
    meta = paths.sessions_dir() / session_id / "meta.json"
    if "/" in session_id or not meta.is_file():
        raise UsageError(f"no session '{session_id}'", hint=f"sessions live in {paths.sessions_dir()}")
    return SessionRecord(**json.loads(meta.read_text()))


def latest_session(workspace: Path) -> SessionRecord:
    """The most recently used session of `workspace` (for --continue and undo)."""
    found = [record for record in _all_sessions() if record.workspace == str(workspace)]
    if not found:
        raise UsageError(f"no earlier session in {workspace}", hint="start one with `victor run PROMPT`")
    return max(found, key=lambda record: record.updated)


def save_record(record: SessionRecord) -> None:
    write_private(_directory(record) / "meta.json", json.dumps(asdict(record), indent=1))


def save_messages(record: SessionRecord, messages: list[Message]) -> None:
    """The transcript, with every secret in a message or a tool call's arguments redacted."""
    from victor.secrets import Redactor

    record.updated = time.time()
    save_record(record)
    redactor = Redactor()  # one numbering for the whole transcript
    lines = "".join(json.dumps(asdict(prepared(message, redactor.redact))) + "\n" for message in messages)
    write_private(record.directory / "messages.jsonl", lines)


def load_messages(record: SessionRecord) -> list[Message]:
    path = record.directory / "messages.jsonl"
    if not path.is_file():
        return []
    messages = []
    for line in path.read_text().splitlines():
        data = json.loads(line)
        data["tool_calls"] = [ToolCall(**call) for call in data.get("tool_calls", [])]
        messages.append(Message(**data))
    return messages


def _all_sessions() -> list[SessionRecord]:
    root = paths.sessions_dir()
    if not root.is_dir():
        return []
    records = []
    for meta in root.glob("*/meta.json"):
        try:
            records.append(SessionRecord(**json.loads(meta.read_text())))
        except (OSError, ValueError, TypeError):
            continue  # a half-written or foreign directory is not a session
    return records


def _directory(record: SessionRecord) -> Path:
    private_directory(paths.sessions_dir())
    return private_directory(record.directory)
