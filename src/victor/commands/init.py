"""`victor init [--airgapped | --hybrid | --cloud] [--force]`: write a commented profiles.yaml."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    airgapped: bool = typer.Option(False, "--airgapped", help="Local models only, offline mode on."),
    hybrid: bool = typer.Option(False, "--hybrid", help="Local by default, cloud for hard tasks, budgets."),
    cloud: bool = typer.Option(False, "--cloud", help="Cloud models with redaction, budgets and audit."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file (a .bak copy is kept)."),
) -> None:
    """Write $VICTOR_HOME/profiles.yaml from a commented template. Never overwrites without --force."""
    from importlib.resources import files

    from victor import paths
    from victor.config import load_config
    from victor.errors import UsageError, VictorError
    from victor.ui.output import out

    chosen = [name for name, flag in (("airgapped", airgapped), ("hybrid", hybrid), ("cloud", cloud)) if flag]
    if len(chosen) > 1:
        raise UsageError(f"choose one of --airgapped, --hybrid, --cloud (got {', '.join('--' + c for c in chosen)})")
    template = (chosen or ["local"])[0]
    target = paths.user_config_file()
    if target.exists() and not force:
        raise VictorError(f"{target} already exists; nothing was written", hint="pass --force to replace it (a .bak copy is kept)")
    text = files("victor.config").joinpath("templates", f"{template}.yaml").read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.replace(target.with_name(target.name + ".bak"))
    target.write_text(text, encoding="utf-8")
    loaded = load_config()
    out().print(f"✓ wrote {target} ({template}); default profile: {loaded.config.default_profile}")
    out().print("next: `victor doctor` checks that its backends are reachable")
