"""Backend failures turned into ProviderErrors that say what the user should do.

Every provider maps its SDK's exceptions to an HTTP status, a detail and headers, then calls these
helpers, so 401/403, 429, 5xx, context overflow, refused connections and cut-off streams read the
same whatever the backend. Server details are never shown for auth failures (they may echo a key).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

from victor.errors import ProviderError
from victor.providers.registry import key_env

CONTEXT_OVERFLOW_MARKERS = (
    "context length",
    "context_length",
    "context window",
    "maximum context",
    "prompt is too long",
    "too many tokens",
    "exceed context",
    "exceeds the context",
)


def is_context_overflow(detail: str) -> bool:
    lowered = detail.lower()
    return any(marker in lowered for marker in CONTEXT_OVERFLOW_MARKERS)


def context_overflow_error(backend: str, detail: str) -> ProviderError:
    return ProviderError(
        f"{backend}: the conversation is longer than the model's context window ({detail.strip()[:200]})",
        hint="start a new session, or raise the profile's n_ctx / context_window if the model allows it",
    )


def status_error(backend: str, status: int, detail: str, *, retry_after: float | None = None) -> ProviderError:
    """The error for an HTTP failure from `backend` (a provider name such as 'openai')."""
    if status in (401, 403):
        variable = key_env(backend)
        hint = f"check {variable} (or the profile's api_key)" if variable else "check the profile's api_key"
        word = "rejected the API key" if status == 401 else "refused access with this API key"
        return ProviderError(f"{backend} {word} (HTTP {status})", hint=hint, status=status)
    if is_context_overflow(detail):
        error = context_overflow_error(backend, detail)
        error.status = status
        return error
    short = detail.strip().splitlines()[0][:300] if detail.strip() else "no detail"
    if status == 429 or status >= 500:
        what = "rate limited the request" if status == 429 else "had a server error"
        return ProviderError(
            f"{backend} {what} (HTTP {status}): {short}",
            hint="Victor retries with backoff; a profile's `fallback` list is tried next",
            retryable=True,
            status=status,
            retry_after=retry_after,
        )
    return ProviderError(f"{backend} refused the request (HTTP {status}): {short}", status=status)


def connection_error(
    backend: str, url: str, start_hint: str = "is the server running? check the profile's base_url"
) -> ProviderError:
    return ProviderError(
        f"cannot connect to {backend} at {url}",
        hint=f"{start_hint}, or run `victor doctor`",
        retryable=True,
    )


def timeout_error(backend: str, url: str, timeout_s: float) -> ProviderError:
    return ProviderError(
        f"{backend} at {url} did not answer within {timeout_s:g} s",
        hint="raise the profile's timeout_s, or try a smaller model",
        retryable=True,
    )


def stream_cut_error(backend: str, detail: str = "the connection closed before the reply finished") -> ProviderError:
    return ProviderError(
        f"{backend}: the reply stream was cut off mid-way ({detail})",
        hint="try again; if it keeps happening, check the server's logs",
        retryable=True,
    )


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date)."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def sdk_error(sdk: Any, backend: str, error: Exception, *, url: str, timeout_s: float) -> ProviderError:
    """Map an exception from the `openai` or `anthropic` SDK (both share their error classes)."""
    if isinstance(error, sdk.APIStatusError):
        body = error.body if isinstance(error.body, dict) else {}
        detail = body.get("error", body)
        message = detail.get("message") if isinstance(detail, dict) else None
        return status_error(
            backend,
            error.status_code,
            str(message or error.message),
            retry_after=parse_retry_after(error.response.headers),
        )
    if isinstance(error, sdk.APITimeoutError):
        return timeout_error(backend, url, timeout_s)
    if isinstance(error, sdk.APIConnectionError):
        return connection_error(backend, url)
    return ProviderError(f"{backend} failed: {error}", retryable=True)
