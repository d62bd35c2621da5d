"""The profiles.yaml schema: one pydantic model per section, every model `extra="forbid"`.

Sections: `profiles` (model backends), `routing`, `budgets`, `sandbox`, `approvals`, `audit`,
`data_classes`, `secrets`, `mcp`, `network`, plus the seed's `offline_mode` and `telemetry`. Later features add fields
to their own section here, so the file stays one coherent format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from victor.config.approval_modes import ApprovalMode
from victor.config.keys import KeyPath
from victor.providers.registry import BACKENDS, backend, fleet_backends

if TYPE_CHECKING:  # the names are the registry's data; a type checker sees strings
    ProviderName = str
    DataClassProvider = str
else:
    ProviderName = Literal[tuple(BACKENDS)]
    # A data class may also name `local`: any profile that stays on this machine, whatever its provider.
    DataClassProvider = Literal[(*BACKENDS, "local")]
TaskType = Literal[
    "code_review",
    "test_generation",
    "documentation",
    "refactoring",
    "architecture_decisions",
    "production_debugging",
    "security_analysis",
    "general",
]
_DEFAULT_LOCAL_TASKS: tuple[TaskType, ...] = ("code_review", "test_generation", "documentation", "refactoring",
                                              "general")
SensitivePolicy = Literal["route_local", "redact", "block"]
DataClass = Literal["public", "internal", "confidential", "restricted"]


class Strict(BaseModel):
    """Base for every section: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Pricing(Strict):
    """USD per million tokens; overrides the built-in price table for this profile's model."""

    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)


class ProfileConfig(Strict):
    """One named model backend."""

    provider: ProviderName
    model: str | None = None
    base_url: str | list[str] | None = None  # a list: a fleet of servers behind one profile (providers/fleet.py)
    allow_insecure_http: bool = False  # plain http to a host neither loopback nor trusted
    api_key: str | None = None
    # llama.cpp in-process
    model_path: str | None = None
    n_ctx: int | None = Field(default=None, gt=0)
    n_threads: int | None = Field(default=None, gt=0)
    n_gpu_layers: int | None = None
    # generation
    temperature: float | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, gt=0)
    context_window: int | None = Field(default=None, gt=0)
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    pricing: Pricing | None = None
    # routing
    fallback: list[str] = Field(default_factory=list)
    sensitive_data: SensitivePolicy = "route_local"
    description: str | None = None
    # network.trusted_hosts, stamped in by Config: the hosts that count as inside the organisation
    _trusted: tuple[str, ...] = PrivateAttr(default=())

    @field_validator("base_url")
    @classmethod
    def _one_or_more_urls(cls, value: str | list[str] | None) -> str | list[str] | None:
        if isinstance(value, list) and not value:
            raise ValueError("a list of base URLs needs at least one")
        return value[0] if isinstance(value, list) and len(value) == 1 else value  # one server is no fleet

    @model_validator(mode="after")
    def _needs_a_model(self) -> ProfileConfig:
        if self.model is None and not (self.provider == "llamacpp"):
            raise ValueError(f"provider '{self.provider}' needs a 'model'")
        if isinstance(self.base_url, list) and not backend(self.provider).fleet:
            raise ValueError(f"a list of base URLs (a fleet) is for {' and '.join(sorted(fleet_backends()))} "
                             f"servers, not '{self.provider}'")
        return self

    @property
    def base_urls(self) -> list[str]:
        """Every server of this profile: one, several (a fleet), or none (the provider's default)."""
        if self.base_url is None:
            return []
        return [self.base_url] if isinstance(self.base_url, str) else list(self.base_url)

    @property
    def server_url(self) -> str | None:
        """The one server a provider or a probe talks to (None: the backend's default). A fleet's profile
        is split into one profile a server first (registry.build_provider, doctor)."""
        if isinstance(self.base_url, list):
            raise ValueError(f"a fleet profile ({len(self.base_url)} servers) has no one server URL")
        return self.base_url

    @property
    def is_local(self) -> bool:
        """True when requests stay inside the organisation: in-process, a local backend on its default
        server, or servers each on loopback or a host in `network.trusted_hosts`."""
        locality = backend(self.provider).locality
        if locality == "in-process":
            return True
        if self.base_url is None:
            return locality == "local"
        from victor.config.urls import is_inside_url

        return all(is_inside_url(url, self._trusted) for url in self.base_urls)

    def insecure_url(self) -> str | None:
        """A plain-http server of this profile that is neither loopback nor trusted, unless allowed."""
        from victor.config.urls import is_inside_url

        if self.allow_insecure_http:
            return None
        return next((url for url in self.base_urls
                     if url.lower().startswith("http://") and not is_inside_url(url, self._trusted)), None)


class RoutingConfig(Strict):
    local_tasks: list[TaskType] = Field(default_factory=lambda: list(_DEFAULT_LOCAL_TASKS))
    cloud_tasks: list[TaskType] = Field(default_factory=list)
    local_profile: str | None = None
    cloud_profile: str | None = None


class BudgetLimit(Strict):
    daily_usd: float | None = Field(default=None, ge=0)
    monthly_usd: float | None = Field(default=None, ge=0)


class BudgetConfig(BudgetLimit):
    alert_at: float = Field(default=0.8, gt=0, le=1, description="fraction of a limit that warns")
    on_exceeded: Literal["switch_to_local", "block"] = "switch_to_local"
    per_profile: dict[str, BudgetLimit] = Field(default_factory=dict)


class SandboxConfig(Strict):
    backend: Literal["docker", "none"] = "docker"
    image: str | None = None
    network: bool = False
    memory: str = "2g"
    cpus: float = Field(default=2.0, gt=0)
    pids_limit: int = Field(default=256, gt=0)
    timeout_s: float = Field(default=120.0, gt=0)
    output_limit_bytes: int = Field(default=1_000_000, gt=0)
    tmp_size: str = "100m"
    nofile_soft: int = Field(default=1024, gt=0)
    nofile_hard: int = Field(default=2048, gt=0)
    fsize_bytes: int = Field(default=1 << 30, gt=0)
    env_allowlist: list[str] = Field(default_factory=lambda: ["LANG", "LC_ALL", "TERM", "TZ"])
    runtime: str | None = None


class ToolRule(Strict):
    """Command-prefix (run_shell) or path-glob patterns; deny beats ask beats allow."""

    allow: list[str] = Field(default_factory=list)
    ask: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)


class ApprovalConfig(Strict):
    mode: ApprovalMode = "ask"
    tools: dict[str, ToolRule] = Field(default_factory=dict)
    deny_paths: list[str] = Field(
        default_factory=lambda: [".env", ".env.*", "*.pem", "*.key", "id_rsa*", "id_ed25519*", "id_ecdsa*", "*.p12"]
    )


class AuditConfig(Strict):
    enabled: bool = True
    path: str | None = None
    include_prompts: bool = False
    fsync: Literal["always", "batch", "never"] = "always"
    rotate_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    anchor_path: str | None = None  # the rollback witness (audit/witness.py); organisation or user files only
    user: str | None = None  # the `user` of every record; organisation or user files only

    @field_validator("anchor_path")
    @classmethod
    def _anchor_path_is_absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("/", "~")):
            raise ValueError("audit.anchor_path must be an absolute path, outside any workspace")
        return value


def provider_allowed(providers: list[str] | None, provider: str, *, local: bool) -> bool:
    """A data class's provider list read as the router reads it: None allows any; `local` allows any
    profile that stays on this machine."""
    return providers is None or provider in providers or (local and "local" in providers)



class DataClassRule(Strict):
    paths: list[str] = Field(default_factory=list)
    providers: list[DataClassProvider] | None = None  # None: any; the built-in layer makes the upper two local


class DataClassesConfig(Strict):
    default: DataClass = "internal"
    public: DataClassRule = Field(default_factory=DataClassRule)
    internal: DataClassRule = Field(default_factory=DataClassRule)
    confidential: DataClassRule = Field(default_factory=DataClassRule)
    restricted: DataClassRule = Field(default_factory=DataClassRule)


class SecretsConfig(Strict):
    exclude_paths: list[str] = Field(default_factory=list)
    baseline: str | None = None


class MCPMount(Strict):
    """A host directory mounted read-only into an MCP server's container (its runtime: a venv, node_modules)."""

    source: str
    target: str

    @field_validator("source", "target")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith(("/", "~")) or ".." in value.split("/"):
            raise ValueError("a mount path must be absolute, without '..'")
        return value


class MCPServerConfig(Strict):
    """One MCP server: a stdio `command` run in its own locked-down container, or a streamable-HTTP `url`."""

    enabled: bool = True
    command: list[str] = Field(default_factory=list)
    url: str | None = None
    env: dict[str, str] = Field(default_factory=dict)
    network: bool = False
    mounts: list[MCPMount] = Field(default_factory=list)
    image: str | None = None
    timeout_s: float = Field(default=30.0, gt=0)
    tools: list[str] = Field(default_factory=lambda: ["*"])
    max_tools: int = Field(default=16, gt=0)

    @model_validator(mode="after")
    def _command_or_url(self) -> MCPServerConfig:
        if bool(self.command) == bool(self.url):
            raise ValueError("an MCP server needs either 'command' (stdio, in the sandbox) or 'url', not both")
        return self


class MCPConfig(Strict):
    servers: dict[str, MCPServerConfig] = Field(default_factory=dict)

    @field_validator("servers")
    @classmethod
    def _names(cls, servers: dict[str, MCPServerConfig]) -> dict[str, MCPServerConfig]:
        import re

        for name in servers:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}", name):
                raise ValueError(f"MCP server name '{name}': use letters, digits and '-' (it goes into tool names)")
        return servers


class NetworkConfig(Strict):
    """`trusted_hosts`: the organisation's own servers (host, host:port or CIDR), reachable in offline
    mode and counted as inside the organisation; organisation or user files only."""

    trusted_hosts: list[str] = Field(default_factory=list)

    @field_validator("trusted_hosts")
    @classmethod
    def _parse(cls, hosts: list[str]) -> list[str]:
        from victor.config.urls import parse_trusted_host

        for entry in hosts:
            parse_trusted_host(entry)  # raises ValueError with what is wrong
        return hosts


class Config(Strict):
    """The whole merged configuration."""

    default_profile: str = "default"
    profiles: dict[str, ProfileConfig] = Field(default_factory=dict)
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    offline_mode: bool = False
    telemetry: Literal[False] = Field(default=False, description="Victor has no telemetry; only false is valid")
    budgets: BudgetConfig = Field(default_factory=BudgetConfig)
    sandbox: SandboxConfig = Field(default_factory=SandboxConfig)
    approvals: ApprovalConfig = Field(default_factory=ApprovalConfig)
    audit: AuditConfig = Field(default_factory=AuditConfig)
    data_classes: DataClassesConfig = Field(default_factory=DataClassesConfig)
    secrets: SecretsConfig = Field(default_factory=SecretsConfig)
    mcp: MCPConfig = Field(default_factory=MCPConfig)
    network: NetworkConfig = Field(default_factory=NetworkConfig)

    @model_validator(mode="after")
    def _stamp_trusted_hosts(self) -> Config:
        """Every profile learns the trusted hosts (first: the validators below ask `is_local`), and a
        plain-http server outside them is refused."""
        self.trust(self.network.trusted_hosts)
        for name, profile in self.profiles.items():
            url = profile.insecure_url()
            if url is not None:
                raise _located_error(("profiles", name, "base_url"), url,
                                     f"{url} is plain http to a host that is neither loopback nor in "
                                     "network.trusted_hosts; use https, add the host to network.trusted_hosts "
                                     "in your own or the organisation's profiles.yaml, or set "
                                     "allow_insecure_http: true on the profile")
        return self

    def trust(self, hosts: list[str]) -> None:
        """Read every profile's locality against `hosts` (the tighten rules compare layers this way)."""
        for profile in self.profiles.values():
            profile._trusted = tuple(hosts)

    @model_validator(mode="after")
    def _cloud_profile_for_cloud_tasks(self) -> Config:
        """`routing.cloud_tasks` with no `cloud_profile` (as the enterprise guide writes it) means the one
        profile that leaves this machine; with several, the file must say which."""
        routing = self.routing
        if not routing.cloud_tasks or routing.cloud_profile is not None:
            return self
        cloud = sorted(name for name, profile in self.profiles.items() if not profile.is_local)
        if len(cloud) == 1:
            routing.__dict__["cloud_profile"] = cloud[0]  # no re-validation: it names a checked profile
        elif cloud:
            raise _located_error(("routing", "cloud_tasks"), ",".join(routing.cloud_tasks),
                                 f"routing.cloud_tasks needs routing.cloud_profile: several profiles leave this "
                                 f"machine ({', '.join(cloud)}); name one of them as routing.cloud_profile")
        return self

    @model_validator(mode="after")
    def _routing_names_exist(self) -> Config:
        """routing.local_profile / cloud_profile and every fallback link name a defined profile, and
        the profile that plays "local" really stays on this machine."""
        names: dict[KeyPath, str | None] = {("routing", "local_profile"): self.routing.local_profile,
                 ("routing", "cloud_profile"): self.routing.cloud_profile}
        for name, profile in self.profiles.items():
            names.update({("profiles", name, "fallback", str(i)): link for i, link in enumerate(profile.fallback)})
        for loc, target in names.items():
            if target is not None and target not in self.profiles:
                known = ", ".join(sorted(self.profiles))
                raise _located_error(loc, target, f"no profile named '{target}' (known: {known})")
        local = self.routing.local_profile
        if local is not None and not self.profiles[local].is_local:
            raise _located_error(("routing", "local_profile"), local, f"'{local}' sends data off this machine")
        return self


def _located_error(loc: KeyPath, value: str, message: str) -> ValidationError:
    """A validation error at `loc`, so the loader can point at the file and line that set it."""
    from pydantic_core import InitErrorDetails, PydanticCustomError

    error = PydanticCustomError("routing_reference", message)
    return ValidationError.from_exception_data("Config", [InitErrorDetails(type=error, loc=loc, input=value)])
