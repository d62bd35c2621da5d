"""`victor doctor [--json]`: a ✓/✗ table of what Victor needs; exit 1 if the default profile can't run."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(json_output: bool = typer.Option(False, "--json", help="One JSON document.")) -> None:
    """Check configuration, each profile's backend (short timeouts) and the Docker engine."""
    from victor.config import load_config
    from victor.doctor import run_checks

    report = run_checks(load_config())
    if json_output:
        import json

        typer.echo(json.dumps({"ok": report.ok, "checks": [check.as_dict() for check in report.checks]}))
    else:
        _print_table(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_table(report) -> None:  # noqa: ANN001
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
    out().print("[green]ready[/green]" if report.ok else "[red]not ready: the default profile cannot run[/red]")
