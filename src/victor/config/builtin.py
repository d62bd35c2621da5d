"""The built-in layer: the `default` (Ollama) and `embedded` (llama.cpp, bundled GGUF) profiles."""

from __future__ import annotations

from typing import Any

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
                "description": "Gemma 3 270M in-process (the `local` extra): zero setup, smoke runs only",
                "n_ctx": 8192,
                "temperature": 0.0,  # a 270M base model: deterministic is the only reliable setting
            },
        },
    }
