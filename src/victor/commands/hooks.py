"""`victor hooks install [--force]`: the git pre-commit hook that runs `scan-secrets --staged`."""

from __future__ import annotations

import typer

hooks_app = typer.Typer(help="Git hooks: block commits that add secrets.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(hooks_app, name="hooks")


@hooks_app.command("install")
def install(force: bool = typer.Option(False, "--force", help="Replace an existing hook instead of chaining it.")) -> None:
    """Install a pre-commit hook; an existing hook is kept and run first unless --force."""
    from victor.secrets.hook_install import install as install_hook

    typer.echo(install_hook(force=force))
