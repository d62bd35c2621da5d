"""`open_sandbox`: the one way the rest of Victor gets a Sandbox for a session — the locked-down
Docker container, or, when the user's own profile says `backend: none`, the host runner with a
warning every session (through the caller's `notify`) and an audit record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from victor.audit.sink import AuditSink
from victor.config.schema import SandboxConfig
from victor.notify import Notify, to_stderr
from victor.sandbox.base import ExecResult, Sandbox

UNSANDBOXED_WARNING = ("the sandbox is OFF (`sandbox: {backend: none}` in your profile): "
                       "the agent's commands run directly on this machine")


def open_sandbox(settings: SandboxConfig, workspace: Path, *, offline: bool, audit: AuditSink | None = None,
                 notify: Notify = to_stderr, masked: Callable[[], Sequence[str]] = tuple) -> Sandbox:
    """Start the session's sandbox. Offline, the network is always off; the files `masked()` names
    (workspace-relative, protected) are hidden from a container; warnings go to `notify`. Raises
    SandboxError when Docker or the image is missing, with the fix in its hint."""
    workspace = workspace.resolve()
    if settings.backend == "none":
        from victor.sandbox.host import HostRunner

        notify(UNSANDBOXED_WARNING)
        if audit is not None:
            audit.record("sandbox_disabled", workspace=str(workspace))
        return _audited(HostRunner(settings, workspace), audit)
    from victor.sandbox.docker_backend import DockerSandbox
    from victor.sandbox.engine import connect, pick_runtime
    from victor.sandbox.image import require_image

    client = connect()
    sandbox = DockerSandbox(client, settings, workspace, image=require_image(client, settings),
                            network=settings.network and not offline,
                            runtime=pick_runtime(client, settings.runtime), notify=notify, masked=masked())
    return _audited(sandbox, audit)


class _AuditedSandbox:
    """Records every exec as `sandbox_exec` in the audit log."""

    def __init__(self, inner: Sandbox, audit: AuditSink) -> None:
        self._inner = inner
        self._audit = audit

    def exec(self, command: str, **kwargs: Any) -> ExecResult:
        result = self._inner.exec(command, **kwargs)
        self._audit.record("sandbox_exec", success=result.exit_code == 0, command=command,
                           exit_code=result.exit_code, duration_ms=result.duration_ms, timed_out=result.timed_out,
                           sandbox=self._inner.describe())
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _audited(sandbox: Sandbox, audit: AuditSink | None) -> Sandbox:
    return _AuditedSandbox(sandbox, audit) if audit is not None else sandbox
