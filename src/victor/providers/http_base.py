"""What the HTTP backends share. `HTTPProvider` (OpenAI and compatible servers, Anthropic, Ollama):
the profile's settings, retry policy and server URL, the temperature default, one request per
`stream()` retried the same way, tool arguments decoded from JSON, and doctor's probe of a cloud API
(key set, server reachable). `SDKProvider` (the `openai` and `anthropic` SDKs, which share their
client options and error classes): the client, the API key lookup, `list_models()` and error mapping.

A backend subclasses one of them and declares, next to its code, its provider name, key variable,
locality, fleet support and default server; `registry.py` derives the rest.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from importlib import import_module
from typing import Any, ClassVar

from victor.config.schema import ProfileConfig
from victor.config.urls import uses_env_proxy
from victor.errors import ConfigError, ProviderError
from victor.providers.base import (
    Capabilities,
    Event,
    Health,
    Locality,
    Message,
    StreamOptions,
    ToolCall,
    ToolSpec,
    decode_arguments,
    new_call_id,
    pick_temperature,
)
from victor.providers.failures import sdk_error
from victor.providers.retry import RetryPolicy, retrying_stream

PROBE_TIMEOUT_S = 2.0
NO_KEY = "no-key-needed"


def probe_get(url: str, headers: dict[str, str] | None = None) -> Any:
    """GET `url` for a health probe: a short timeout, redirects followed, no proxy for a local server."""
    import httpx

    return httpx.get(url, headers=headers or {}, timeout=PROBE_TIMEOUT_S, follow_redirects=True,
                     trust_env=uses_env_proxy(url))


class HTTPProvider(ABC):
    """A model behind an HTTP API. Subclasses build the request and read one streamed reply."""

    provider: ClassVar[str]
    key_env: ClassVar[str | None] = None
    locality: ClassVar[Locality] = "cloud"
    fleet: ClassVar[bool] = False
    default_url: ClassVar[str]
    default_temperature: ClassVar[float | None] = None  # None: the server's own

    def __init__(self, profile_name: str, profile: ProfileConfig, *, url: str, retry: RetryPolicy | None) -> None:
        self.profile = profile_name
        self.model = profile.model or ""
        self.settings = profile
        self.url = url
        self.retry = retry or RetryPolicy(max_retries=profile.max_retries)

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        request = self._request(messages, tools, options or StreamOptions())
        return retrying_stream(lambda: self._stream_once(request, tools), self.retry)

    @abstractmethod
    def _request(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], options: StreamOptions
    ) -> dict[str, Any]:
        """The request body for one turn."""

    @abstractmethod
    def _stream_once(self, request: dict[str, Any], tools: Sequence[ToolSpec]) -> Iterator[Event]:
        """Send `request` once and yield its events (`tools`: the turn's, for a backend that decodes
        calls from constrained text); ProviderError on failure."""

    def temperature(self, options: StreamOptions) -> float | None:
        return pick_temperature(options.temperature, self.settings.temperature, self.default_temperature)

    def tool_call(self, call_id: str | None, name: str, arguments: str) -> ToolCall:
        """A streamed tool call whose arguments came as JSON text; garbled ones are a retryable error."""
        try:
            decoded = decode_arguments(arguments)
        except ValueError as error:
            raise ProviderError(
                f"{self.provider} sent malformed arguments for tool '{name}' ({error})", retryable=True
            ) from None
        return ToolCall(id=call_id or new_call_id(), name=name, arguments=decoded)

    @classmethod
    def probe(cls, profile: ProfileConfig) -> Health:
        """A cloud API: its key is set and its server answers."""
        variable = cls.key_env
        if variable and not (profile.api_key or os.environ.get(variable)):
            return Health(False, f"{profile.provider}: no API key", f"export {variable}=… or set api_key")
        base = profile.server_url or cls.default_url
        try:
            probe_get(base)
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", reported as such
            return Health(False, f"{base} not reachable ({type(exc).__name__})", "check the network or proxy")
        return Health(True, f"{profile.provider} {profile.model}, key set, {base} reachable")


class SDKProvider(HTTPProvider):
    """A backend reached through the `openai` or `anthropic` SDK (the only importer of each)."""

    sdk_name: ClassVar[str]  # the SDK's module
    client_class: ClassVar[str]  # its client class
    key_required: ClassVar[bool] = True
    json_schema: ClassVar[bool]  # replies can be constrained to a JSON schema
    default_context_window: ClassVar[int]

    def __init__(
        self, profile_name: str, profile: ProfileConfig, *, api_key: str, retry: RetryPolicy | None = None
    ) -> None:
        sdk = self.sdk()
        url_env = f"{self.sdk_name.upper()}_BASE_URL"  # the SDK's own default when base_url is unset
        self.client = getattr(sdk, self.client_class)(
            api_key=api_key, base_url=profile.server_url, timeout=profile.timeout_s, max_retries=0,
            http_client=sdk.DefaultHttpxClient(
                trust_env=uses_env_proxy(profile.server_url or os.environ.get(url_env, ""))
            ),
        )
        super().__init__(profile_name, profile, url=str(self.client.base_url), retry=retry)
        self.capabilities = Capabilities(native_tools=True, json_schema=self.json_schema,
                                         context_window=profile.context_window or self.default_context_window)

    @classmethod
    def sdk(cls) -> Any:
        return import_module(cls.sdk_name)

    @classmethod
    def from_profile(cls, profile_name: str, profile: ProfileConfig) -> SDKProvider:
        key = profile.api_key or (os.environ.get(cls.key_env) if cls.key_env else None)
        if not key and cls.key_required:
            raise ConfigError(
                f"profile '{profile_name}' needs an API key for {cls.provider}",
                hint=f"export {cls.key_env}=…, or set api_key: ${{{cls.key_env}}} in the profile",
            )
        return cls(profile_name, profile, api_key=key or NO_KEY)

    def sdk_error(self, error: Exception) -> ProviderError:
        """The SDK's exception as a ProviderError that says what to do."""
        return sdk_error(self.sdk(), self.provider, error, url=self.url, timeout_s=self.settings.timeout_s)

    def list_models(self) -> list[str]:
        try:
            return sorted(model.id for model in self.client.models.list())
        except self.sdk().APIError as error:
            raise self.sdk_error(error) from None

    def close(self) -> None:
        self.client.close()
