"""The built-in layer: the `default` (Ollama) profile and the two in-process embedded models,
`embedded` (Qwen2.5-Coder-1.5B-Instruct) and `embedded-small` (the 0.5B, for small machines and fast
tests), both joined from the `local` extra's pinned part packages (`victor.models`)."""

from __future__ import annotations

from typing import Any

from victor.models.catalog import QWEN_CODER_0_5B, QWEN_CODER_1_5B

BUILTIN_SOURCE = "<built-in>"


def builtin_layer() -> dict[str, Any]:
    return {
        "default_profile": "default",
        "profiles": {
            "default": {
                "provider": "ollama",
                "model": "qwen2.5-coder:7b",
                "base_url": "http://localhost:11434",
                "fallback": ["embedded"],
                "description": "Ollama on this machine; falls back, visibly, to `embedded`",
            },
            "embedded": {
                "provider": "llamacpp",
                "model": QWEN_CODER_1_5B.name,
                "description": "Qwen2.5-Coder-1.5B-Instruct in-process (the `local` extra): zero setup, offline",
                "n_ctx": 8192,
                "temperature": 0.0,
            },
            "embedded-small": {
                "provider": "llamacpp",
                "model": QWEN_CODER_0_5B.name,
                "description": "Qwen2.5-Coder-0.5B-Instruct in-process: faster, for small machines and quick checks",
                "n_ctx": 8192,
                "temperature": 0.0,
            },
        },
        # The strategy guide's defaults: confidential and restricted data stay on this machine unless
        # a file lists the providers that may see them.
        "data_classes": {"confidential": {"providers": ["local"]}, "restricted": {"providers": ["local"]}},
    }
