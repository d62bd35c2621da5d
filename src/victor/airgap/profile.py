"""The `airgapped.yaml` profile a bundle carries: offline mode on, one llama.cpp profile a GGUF file
(`airgapped` is the first), one Ollama profile an Ollama model, the sandbox pinned to the bundled image,
and the MCP servers as pack carried them (mcp_runtime.py)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from victor.airgap import MODELS

MODELS_HOME = "${VICTOR_HOME:-~/.victor}/" + MODELS
OLLAMA_URL = "http://127.0.0.1:11434"
ALL_TASKS = ["code_review", "test_generation", "documentation", "refactoring", "architecture_decisions",
             "production_debugging", "security_analysis", "general"]
HEADER = """\
# Written by `victor airgap install` from a bundle made by `victor airgap pack`.
# Nothing leaves loopback: offline_mode is on, every profile is local, the sandbox has no network.
# `victor doctor --offline` checks it. Models live in $VICTOR_HOME/models (Ollama's in
# $VICTOR_HOME/ollama/models: start Ollama with OLLAMA_MODELS set to that directory).
"""


def profile_name(model: str) -> str:
    """`airgapped-<model>`: the file or model name reduced to letters, digits and dashes."""
    return "airgapped-" + re.sub(r"[^a-z0-9]+", "-", model.lower().removesuffix(".gguf")).strip("-")


def render_profile(gguf_names: list[str], ollama_names: list[str], image_tag: str | None,
                   mcp_servers: dict[str, dict[str, Any]] | None = None) -> str:
    """The YAML text: `airgapped` runs the first model and falls back to the others, in order; the MCP
    servers as pack carried them."""
    profiles: dict[str, dict[str, Any]] = {}
    for name in gguf_names:
        profiles[profile_name(name)] = {"provider": "llamacpp", "model_path": f"{MODELS_HOME}/{name}", "n_ctx": 8192}
    for name in ollama_names:
        profiles[profile_name(name)] = {"provider": "ollama", "model": name, "base_url": OLLAMA_URL}
    first, *others = profiles
    profiles = {"airgapped": {**profiles.pop(first), "fallback": others}, **profiles}
    document = {
        "offline_mode": True,
        "telemetry": False,
        "default_profile": "airgapped",
        "profiles": profiles,
        "routing": {"local_tasks": ALL_TASKS, "cloud_tasks": []},
        "sandbox": {"backend": "docker", "network": False, **({"image": image_tag} if image_tag else {})},
        **({"mcp": {"servers": mcp_servers}} if mcp_servers else {}),
    }
    return HEADER + yaml.safe_dump(document, sort_keys=False, width=120)
