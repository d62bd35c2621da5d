"""`victor doctor [--json]`: a ✓/✗ table of what Victor needs; exit 1 if the default profile can't run."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from victor.doctor import Report


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    json_output: bool = typer.Option(False, "--json", help="One JSON document."),
    offline: bool = typer.Option(False, "--offline", help="Also prove the air-gapped setup: offline profile, "
                                 "models load, sandbox without network, egress blocked."),
) -> None:
    """Check configuration, each profile's backend (short timeouts) and the Docker engine."""
    from victor.config import load_config
    from victor.doctor import run_checks, run_offline_checks

    loaded = load_config()
    if loaded.config.offline_mode:  # probe as a session would run: nothing past loopback and trusted hosts
        from victor.routing.egress import install_egress_guard

        install_egress_guard(loaded.config.network.trusted_hosts)
    report = run_checks(loaded)
    if offline:
        report.checks.extend(run_offline_checks(loaded))
    if json_output:
        import json

        typer.echo(json.dumps({"ok": report.ok, "checks": [check.as_dict() for check in report.checks]}))
    else:
        _print_table(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_table(report: Report) -> None:
    from rich.table import Table
    from rich.text import Text

    from victor.ui.output import out

    table = Table(show_header=False, box=None, pad_edge=False)
    for check in report.checks:
        mark = Text("✓", "green") if check.ok else Text("✗", "red" if check.required else "yellow")
        detail = Text(check.detail)
        if not check.ok and check.hint:
            detail.append(f"  → {check.hint}", "dim")
        table.add_row(mark, Text(check.name, "bold"), detail)
    out().print(table)
    failed = ", ".join(check.name for check in report.checks if check.required and not check.ok)
    out().print("[green]ready[/green]" if report.ok else f"[red]not ready: {failed}[/red]")
