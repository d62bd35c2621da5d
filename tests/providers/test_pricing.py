"""Cost from the pricing table, profile overrides, and free local calls."""

from __future__ import annotations

import pytest

from victor.config.schema import Pricing
from victor.providers.pricing import cost_usd, price_per_mtok


def test_known_models_match_by_family_including_dated_ids() -> None:
    assert cost_usd("openai", "gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert cost_usd("openai", "gpt-4o", 1_000_000, 0) == pytest.approx(2.50)
    assert cost_usd("anthropic", "claude-sonnet-4-20250514", 1000, 1000) == pytest.approx(0.018)
    assert price_per_mtok("anthropic", "claude-opus-4-5-20251101") == Pricing(input_per_mtok=5, output_per_mtok=25)


def test_local_backends_are_free_and_unknown_models_have_no_price() -> None:
    assert cost_usd("llamacpp", "gemma-3-270m", 10**6, 10**6) == 0.0
    assert cost_usd("ollama", "qwen2.5-coder:7b", 10**6, 10**6) == 0.0
    assert price_per_mtok("openai-compatible", "my-finetune") is None
    assert cost_usd("openai-compatible", "my-finetune", 10**6, 10**6) == 0.0
    assert price_per_mtok("openai", "gpt-4oo") is None  # a family name must end at a "-"


def test_profile_override_wins() -> None:
    override = Pricing(input_per_mtok=1.0, output_per_mtok=2.0)

    assert cost_usd("openai-compatible", "my-finetune", 500_000, 250_000, override) == pytest.approx(1.0)
    assert cost_usd("ollama", "rented-gpu-model", 10**6, 0, override) == pytest.approx(1.0)
