"""The issue's demonstration with the real embedded-small model (Qwen2.5-Coder-0.5B in-process, offline):
asked to, it calls the notes server's tool, which runs in its own container; the call and its result
are in the audit log and the tool's answer reaches the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.mcp.conftest import notes_server
from victor import paths

pytestmark = [pytest.mark.model, pytest.mark.docker, pytest.mark.slow]


def test_the_embedded_model_calls_an_mcp_tool_in_the_sandbox(project: Path, victor, victor_home: Path,
                                                             embedded_gguf: Path, sandbox_image: str) -> None:
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump({
        "mcp": {"servers": {"notes": notes_server(tools=["add", "probe"])}},
        "approvals": {"tools": {"mcp": {"allow": ["mcp__notes__*"]}}}}))
    done = victor("run", "--profile", "embedded-small", "--offline", "--json", "--max-turns", "3",
                  "Use the mcp__notes__add tool to add 2 and 40, then tell me the sum.", cwd=project, timeout=1200)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events and events[-1]["type"] == "done", done.stderr[-2000:]
    calls = [event for event in events if event["type"] == "tool_call"]
    assert calls and calls[0]["name"] == "mcp__notes__add" and calls[0]["args"] == {"a": 2, "b": 40}, events
    result = next(event for event in events if event["type"] == "tool_result")
    assert result["ok"] and result["summary"] == "42"
    records = [json.loads(line) for line in paths.audit_log_file().read_text().splitlines()]
    assert [(r["tool"], r["result"]) for r in records if r["action"] == "mcp_call"][:1] == [("add", "42")]
    assert any(r["action"] == "tool_call" and r["tool"] == "mcp__notes__add" and r["success"] for r in records)
