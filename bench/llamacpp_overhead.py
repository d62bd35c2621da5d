"""Overhead of Victor's llama.cpp provider: tokens/s through `LlamaCppProvider.stream` against
direct `llama_cpp.Llama.create_chat_completion` streaming, same model instance, same prompt and
settings, interleaved in one run. Prints both rates and their ratio (goal: >= 0.95).

    .venv/bin/python bench/llamacpp_overhead.py [--rounds 10] [--max-tokens 64] [--model PATH]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from victor.config.schema import ProfileConfig
from victor.providers.base import Message, StreamOptions, TextDelta
from victor.providers.llamacpp import LlamaCppProvider, embedded_model_path

PROMPT = "Write a haiku about git"


def direct_rate(provider: LlamaCppProvider, max_tokens: int) -> float:
    """Tokens/s straight from llama-cpp-python, the baseline."""
    start = time.perf_counter()
    chunks = provider.llama.create_chat_completion(
        messages=[{"role": "user", "content": PROMPT}], stream=True, temperature=0.0, max_tokens=max_tokens
    )
    tokens = sum(1 for chunk in chunks if chunk["choices"][0]["delta"].get("content"))
    return tokens / (time.perf_counter() - start)


def victor_rate(provider: LlamaCppProvider, max_tokens: int) -> float:
    """Tokens/s through Victor's provider (events, usage, stop reason included)."""
    start = time.perf_counter()
    events = provider.stream([Message("user", PROMPT)], options=StreamOptions(temperature=0.0, max_tokens=max_tokens))
    tokens = sum(1 for event in events if isinstance(event, TextDelta))
    return tokens / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--model", type=Path, default=None, help="a GGUF file (default: the embedded model)")
    args = parser.parse_args()

    path = args.model or embedded_model_path()
    provider = LlamaCppProvider.from_profile(
        "bench", ProfileConfig(provider="llamacpp", model_path=str(path), n_ctx=2048)
    )
    direct_rate(provider, 8)  # warm-up: first-call allocations and prompt cache for both paths
    direct, victor = [], []
    for round_number in range(args.rounds):  # ABBA order, so drift in machine load hits both alike
        if round_number % 2 == 0:
            direct.append(direct_rate(provider, args.max_tokens))
            victor.append(victor_rate(provider, args.max_tokens))
        else:
            victor.append(victor_rate(provider, args.max_tokens))
            direct.append(direct_rate(provider, args.max_tokens))
    direct_median, victor_median = statistics.median(direct), statistics.median(victor)
    paired = statistics.median(v / d for v, d in zip(victor, direct, strict=True))
    print(f"model: {path.name}, {args.rounds} interleaved rounds of {args.max_tokens} tokens")
    print(f"direct llama_cpp.Llama : {direct_median:7.2f} tok/s (median; min {min(direct):.2f}, max {max(direct):.2f})")
    print(f"victor LlamaCppProvider: {victor_median:7.2f} tok/s (median; min {min(victor):.2f}, max {max(victor):.2f})")
    print(
        f"ratio victor/direct    : {victor_median / direct_median:.3f} of medians, {paired:.3f} median of "
        "paired rounds  (goal >= 0.95)"
    )


if __name__ == "__main__":
    main()
