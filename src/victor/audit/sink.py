"""`AuditSink`: what the layers below the session need of the audit log, and nothing more: record
an action, the fields that stand for a prompt, and the spend that budgets count. `AuditLog` is the
one implementation; the session opens it and hands it down to the router, the agent, the tool
runner, the sandbox and the MCP servers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class AuditSink(Protocol):
    def record(self, action: str, *, success: bool = True, **fields: Any) -> None:
        """Append one record; strings in it are redacted by the log."""

    def prompt_fields(self, text: str) -> dict[str, Any]:
        """The fields that stand for a prompt in a record (its hash and size, its text if configured)."""

    def spend(self, since: datetime, *, profile: str | None = None) -> float:
        """USD spent on model requests at or after `since`, for one profile or all."""
