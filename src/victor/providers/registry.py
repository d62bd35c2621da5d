"""The provider factory: a profile becomes a configured Provider.

Backend modules are imported only here and only when a profile needs them, so `victor --help` never
loads an SDK. Offline mode refuses any profile whose requests would leave the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from victor.config.schema import ProfileConfig
from victor.errors import PolicyDenied
from victor.providers.base import Provider

# provider name -> (module, class); each class has `from_profile(profile_name, profile)`.
BACKENDS = {
    "llamacpp": ("victor.providers.llamacpp", "LlamaCppProvider"),
    "ollama": ("victor.providers.ollama_chat", "OllamaProvider"),
    "openai": ("victor.providers.openai_chat", "OpenAIProvider"),
    "openai-compatible": ("victor.providers.openai_chat", "OpenAIProvider"),
    "anthropic": ("victor.providers.anthropic_messages", "AnthropicProvider"),
}


def build_provider(profile_name: str, profile: ProfileConfig, *, offline: bool, audit: Any = None,
                   notify: Callable[[str], None] | None = None) -> Provider:
    """The provider for `profile` (a FleetProvider over one per server when base_url is a list; `audit`
    and `notify` hear of a server it skips). Raises PolicyDenied offline for remote profiles,
    ConfigError for missing model files, keys or extras."""
    if offline and not profile.is_local:
        where = ", ".join(profile.base_urls) or f"the {profile.provider} cloud API"
        raise PolicyDenied(
            f"profile '{profile_name}' sends requests to {where}, which offline mode forbids",
            hint="use a local profile (e.g. --profile embedded), or turn offline mode off",
        )
    module_name, class_name = BACKENDS[profile.provider]
    backend = getattr(import_module(module_name), class_name)
    if len(profile.base_urls) < 2:
        return backend.from_profile(profile_name, profile)
    from victor.providers.fleet import FleetProvider

    servers = [(url, backend.from_profile(profile_name, profile.model_copy(update={"base_url": url})))
               for url in profile.base_urls]
    return FleetProvider(servers, audit=audit, notify=notify)
