"""`victor audit tail [-f] | show | verify | export | repair`: read, check and export the audit log."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Read, verify and export the tamper-evident audit log.", no_args_is_help=True)
    group.command("tail")(tail)
    group.command("show")(show)
    group.command("verify")(verify_log)
    group.command("export")(export)
    group.command("repair")(repair_log)
    app.add_typer(group, name="audit")


def _log_path() -> Path:
    return _log_and_witness()[0]


def _log_and_witness() -> tuple[Path, Path | None]:
    """The configured log file and its rollback witness (audit.anchor_path), if any."""
    from victor.audit.logfiles import log_path
    from victor.audit.witness import witness_path
    from victor.config import load_config

    settings = load_config().config.audit
    return log_path(settings), witness_path(settings.anchor_path)


def tail(
    lines: int = typer.Option(10, "--lines", "-n", min=0, help="How many of the last records to show."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing records as they are written."),
    json_output: bool = typer.Option(False, "--json", help="Records as stored, one JSON object a line."),
) -> None:
    """Show the last records, and with -f follow the log."""
    from collections import deque

    from victor.audit.console import follow_log, print_record
    from victor.audit.records import read_records

    log = _log_path()
    if follow:
        follow_log(log, lambda record: print_record(record, json_output), backlog=lines)
        return
    for record in deque(read_records(log), maxlen=lines):
        print_record(record, json_output)


def show(
    session: str | None = typer.Option(None, "--session", help="Only this session (an id or its prefix)."),
    action: list[str] = typer.Option(None, "--action", help="Only this action; repeat for several."),
    since: str | None = typer.Option(None, "--since", help="Only records at or after: 2026-11-01, 'today', 12h, 7d."),
    json_output: bool = typer.Option(False, "--json", help="Records as stored, one JSON object a line."),
) -> None:
    """Show records, filtered by session, action and time."""
    from victor.audit.console import print_record, record_filter
    from victor.audit.records import read_records

    matches = record_filter(session, action, since)
    for record in filter(matches, read_records(_log_path())):
        print_record(record, json_output)


def verify_log(json_output: bool = typer.Option(False, "--json", help="One JSON document.")) -> None:
    """Check the whole chain: exit 0 when intact, 1 with the first bad seq and what is wrong."""
    from victor.audit.chain import hasher_from_env
    from victor.audit.console import raise_for, report_json
    from victor.audit.verify import verify

    log, witness = _log_and_witness()
    hasher = hasher_from_env()
    report = verify(log, hasher, witness)
    if json_output:
        typer.echo(report_json(report, hasher))
        if not report.ok:
            raise typer.Exit(1)
        return
    raise_for(report)
    where = f"{len(report.files)} file(s)" if report.files else f"no log yet at {log}"
    witnessed = f", rollback witness {witness}" if witness else ""
    typer.echo(f"✓ audit log intact: {report.records} records, {where}, {hasher.alg}{witnessed}")


def export(
    format: str = typer.Option("jsonl", "--format", help="jsonl (as chained) or csv."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Write to this file (mode 0600) instead of stdout."),
    since: str | None = typer.Option(None, "--since", help="Only records at or after this time."),
) -> None:
    """Export records for a SIEM."""
    from victor.audit.console import open_private_text, record_filter
    from victor.audit.export import write_csv, write_jsonl
    from victor.audit.records import read_records
    from victor.errors import UsageError

    writers = {"jsonl": write_jsonl, "csv": write_csv}
    if format not in writers:
        raise UsageError(f"--format: unknown format '{format}'", hint="use jsonl or csv")
    records = filter(record_filter(None, None, since), read_records(_log_path()))
    if output is None:
        writers[format](records, sys.stdout)
        return
    with open_private_text(output) as stream:
        count = writers[format](records, stream)
    typer.echo(f"exported {count} records to {output}", err=True)


def repair_log(yes: bool = typer.Option(False, "--yes", "-y", help="Cut a torn tail without asking.")) -> None:
    """Cut off a torn last line left by a crash mid-write, after confirmation."""
    from victor.audit.chain import hasher_from_env
    from victor.audit.chain_repair import repair
    from victor.audit.console import confirm_cut, raise_for
    from victor.audit.verify import verify

    (log, witness), hasher = _log_and_witness(), hasher_from_env()
    report = verify(log, hasher, witness)
    if report.ok:
        typer.echo(f"nothing to repair: {report.records} records, chain intact")
        return
    if report.torn and not yes:
        confirm_cut(report.torn)
    torn, after = repair(log, hasher, witness)
    raise_for(after)
    cut = f"cut {torn.length} torn bytes from {torn.file.name}; " if torn else ""
    typer.echo(f"✓ {cut}chain intact: {after.records} records")
