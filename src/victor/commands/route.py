"""`victor route PROMPT [--task T] [--file F]... [--profile P] [--offline] [--json]`: explain where a
request would go and why (task rule, sensitivity findings by type, data class, budget, health),
without calling a model. The decision is audited like a real turn's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from victor.routing.decision import RouteDecision


def register(app: typer.Typer) -> None:
    app.command("route")(route)


def route(
    prompt: str = typer.Argument(..., help="The request, as you would type it."),
    task: str | None = typer.Option(None, "--task", help="Task type, instead of classifying the prompt."),
    files: list[Path] = typer.Option(None, "--file", "-f", help="A file the request would include (repeatable)."),
    profile: str | None = typer.Option(None, "--profile", "-p", help="Ask for this profile explicitly."),
    offline: bool = typer.Option(False, "--offline", help="Offline mode: nothing may leave loopback."),
    json_output: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """Explain where this request would go and why; no model is called."""
    import uuid

    from victor.audit import open_audit_log
    from victor.config import load_config
    from victor.paths import find_repo_root
    from victor.routing import Router, RouteRequest
    from victor.ui.output import warn

    loaded = load_config(overrides={"offline_mode": True} if offline else None)
    if loaded.config.offline_mode:
        from victor.routing.egress import install_egress_guard

        install_egress_guard(loaded.config.network.trusted_hosts)
    request = RouteRequest(prompt=prompt, files=read_files(files or [], find_repo_root()), task=task, profile=profile)
    with open_audit_log(loaded.config.audit, session_id=f"route-{uuid.uuid4().hex[:12]}") as audit:
        decision = Router(loaded, audit=audit, notify=warn).decide(request)
    if json_output:
        import json

        typer.echo(json.dumps({**decision.as_dict(), "offline_mode": loaded.config.offline_mode}))
    else:
        _print(decision)


def read_files(files: list[Path], repo_root: Path) -> dict[str, str]:
    """Repository-relative posix path → content, for each --file."""
    from victor.errors import UsageError

    contents: dict[str, str] = {}
    for path in files:
        if not path.is_file():
            raise UsageError(f"--file {path}: no such file", hint="pass files the request would include")
        resolved = path.resolve()
        shown = resolved.relative_to(repo_root).as_posix() if resolved.is_relative_to(repo_root) else path.as_posix()
        contents[shown] = resolved.read_text(encoding="utf-8", errors="replace")
    return contents


def _print(decision: RouteDecision) -> None:
    from rich.text import Text

    from victor.ui.output import out

    colour = "green" if decision.location == "local" else "yellow"
    head = Text.assemble(("→ ", "bold"), (decision.location, f"bold {colour}"), "  ", (decision.profile, "bold"),
                         f"  ({decision.provider} {decision.model})  task: {decision.task}")
    if decision.redactor is not None:
        head.append("  [redacted]", "magenta")
    out().print(head)
    for reason in decision.reasons:
        out().print(Text.assemble("  ", (f"{reason.kind:<12}", "dim"), reason.detail))
