"""What a model call costs: built-in USD prices per million tokens for known cloud models, a
profile's `pricing` override, and $0 for local backends.

Model names match by longest prefix, so dated ids (`claude-sonnet-4-20250514`, `gpt-4o-2024-08-06`)
find their family. An unknown cloud model costs $0 here and `price_per_mtok` returns None, so
callers can say the price is unknown instead of inventing one.
"""

from __future__ import annotations

from victor.config.schema import Pricing
from victor.providers.registry import stays_local

# (input, output) USD per million tokens, from the vendors' public price lists.
OPENAI_PRICES: dict[str, tuple[float, float]] = {
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-3.5-turbo": (0.50, 1.50),
    "o1": (15.00, 60.00),
    "o1-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
}
ANTHROPIC_PRICES: dict[str, tuple[float, float]] = {
    "claude-opus-4-5": (5.00, 25.00),
    "claude-opus-4": (15.00, 75.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-3-7-sonnet": (3.00, 15.00),
    "claude-3-5-sonnet": (3.00, 15.00),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-3-opus": (15.00, 75.00),
    "claude-3-haiku": (0.25, 1.25),
}
PRICE_TABLES = {"openai": OPENAI_PRICES, "openai-compatible": OPENAI_PRICES, "anthropic": ANTHROPIC_PRICES}
FREE = Pricing(input_per_mtok=0.0, output_per_mtok=0.0)


def price_per_mtok(provider: str, model: str, override: Pricing | None = None) -> Pricing | None:
    """The price that applies: the override, $0 for local backends, the table's entry, else None."""
    if override is not None:
        return override
    if stays_local(provider):
        return FREE
    table = PRICE_TABLES.get(provider, {})
    matches = [prefix for prefix in table if model == prefix or model.startswith(prefix + "-")]
    if not matches:
        return None
    input_price, output_price = table[max(matches, key=len)]
    return Pricing(input_per_mtok=input_price, output_per_mtok=output_price)


def cost_usd(
    provider: str, model: str, input_tokens: int, output_tokens: int, override: Pricing | None = None
) -> float:
    """USD for one call; 0.0 for local backends and for cloud models with no known price."""
    price = price_per_mtok(provider, model, override)
    if price is None:
        return 0.0
    return (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1_000_000
