"""Whether a server returns a model's tool calls as real `tool_calls` ("native") or leaves them in
the text ("text": llama.cpp's server, LM Studio, vLLM without a tool parser), found once by a probe
and kept per server and model in $VICTOR_HOME/cache/tool-calls.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

from victor.paths import cache_dir

Mode = str  # "native" | "text"
FILE_NAME = "tool-calls.json"


def cached(key: str) -> Mode | None:
    value = _load(_file()).get(key)
    return value if value in ("native", "text") else None


def remember(key: str, mode: Mode) -> None:
    path = _file()
    known = _load(path)
    known[key] = mode
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)


def _file() -> Path:
    return cache_dir() / FILE_NAME


def _load(path: Path) -> dict[str, str]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
