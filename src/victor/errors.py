"""The error hierarchy. Every failure a user can act on is a VictorError with a message, a hint
and an exit code (shared/cli.md); `cli.main` is the one place that turns them into output."""

from __future__ import annotations


class VictorError(Exception):
    """A failure with a one-line message, an optional hint, and the exit code it maps to."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(VictorError):
    """A profile file or setting is malformed, unknown or refused (exit 2)."""

    exit_code = 2


class UsageError(VictorError):
    """A command was called wrongly: bad flag value, missing argument (exit 2)."""

    exit_code = 2


class ProviderError(VictorError):
    """A model backend failed. `retryable` tells the caller whether a retry or fallback may help."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


class SandboxError(VictorError):
    """The sandbox could not be built, started or used."""


class MCPError(VictorError):
    """An MCP server could not be started, timed out, crashed or answered something unusable."""


class AuditError(VictorError):
    """The audit log could not be written or read."""


class PolicyDenied(VictorError):
    """Refused by policy: offline mode, budget, sensitivity, approval denied with no human (exit 4)."""

    exit_code = 4
