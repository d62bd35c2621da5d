"""The backends Victor knows, and the factory that turns a profile into a configured Provider.

`BACKENDS` is the one line a new backend adds here: its provider name and class. Each class declares,
next to its code, its key variable, locality, fleet support and doctor probe (`base.Backend`); the rest
is derived: the provider names the profile schema accepts, which profiles stay local, the variable a
401 names, doctor's probe of a profile. This module imports nothing heavy (`config/schema.py` reads
the names from it); a backend module is imported when asked about, its SDK only when a provider is
built, so `victor --help` never loads one. Offline mode refuses any profile whose requests would
leave the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from victor.audit.sink import AuditSink
    from victor.config.schema import ProfileConfig
    from victor.providers.base import Backend, Provider

BACKENDS = {
    "llamacpp": "victor.providers.llamacpp:LlamaCppProvider",
    "ollama": "victor.providers.ollama_chat:OllamaProvider",
    "openai": "victor.providers.openai_chat:OpenAIProvider",
    "openai-compatible": "victor.providers.openai_chat:OpenAICompatibleProvider",
    "anthropic": "victor.providers.anthropic_messages:AnthropicProvider",
}


@cache
def backend(name: str) -> Backend:
    """The class of the backend called `name` (a profile's `provider`); asked for every `is_local`."""
    module, _, class_name = BACKENDS[name].partition(":")
    backend_class: Backend = getattr(import_module(module), class_name)
    return backend_class


def key_env(name: str) -> str | None:
    """The environment variable holding the API key of backend `name`; None when it takes none, or
    when `name` is no backend's (an error's label, such as 'llama.cpp')."""
    return backend(name).key_env if name in BACKENDS else None


def stays_local(name: str) -> bool:
    """True for a backend whose requests stay on this machine unless a profile names a server."""
    return backend(name).locality != "cloud"


def fleet_backends() -> list[str]:
    """The backends whose profile may list several servers."""
    return [name for name in BACKENDS if backend(name).fleet]


def build_provider(profile_name: str, profile: ProfileConfig, *, offline: bool,
                   audit: AuditSink | None = None, notify: Callable[[str], None] | None = None) -> Provider:
    """The provider for `profile` (a FleetProvider over one per server when base_url is a list; `audit`
    and `notify` hear of a server it skips). Raises PolicyDenied offline for remote profiles,
    ConfigError for missing model files, keys or extras."""
    from victor.errors import PolicyDenied

    if offline and not profile.is_local:
        where = ", ".join(profile.base_urls) or f"the {profile.provider} cloud API"
        raise PolicyDenied(
            f"profile '{profile_name}' sends requests to {where}, which offline mode forbids",
            hint="use a local profile (e.g. --profile embedded), or turn offline mode off",
        )
    chosen = backend(profile.provider)
    if len(profile.base_urls) < 2:
        return chosen.from_profile(profile_name, profile)
    from victor.providers.fleet import FleetProvider

    servers = [(url, chosen.from_profile(profile_name, profile.model_copy(update={"base_url": url})))
               for url in profile.base_urls]
    return FleetProvider(servers, audit=audit, notify=notify)
