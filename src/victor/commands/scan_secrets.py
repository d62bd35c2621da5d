"""`victor scan-secrets`: listed in `victor --help`; the arguments are parsed by
victor.secrets.command (argparse), which `victor scan-secrets …` also reaches without Typer."""

from __future__ import annotations

import typer

_PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}


def register(app: typer.Typer) -> None:
    app.command("scan-secrets", context_settings=_PASS_THROUGH, add_help_option=False)(scan_secrets)


def scan_secrets(ctx: typer.Context) -> None:
    """Scan files, the git index (--staged), history (--since REV) or stdin (-) for secrets."""
    from victor.secrets.command import main

    raise typer.Exit(main(list(ctx.args)))
