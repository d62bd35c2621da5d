"""`victor profiles list | show NAME | validate [FILE...]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="List, show and validate model profiles.", no_args_is_help=True)
    group.command("list")(list_profiles)
    group.command("show")(show_profile)
    group.command("validate")(validate_profiles)
    app.add_typer(group, name="profiles")


def list_profiles(json_output: bool = typer.Option(False, "--json", help="One JSON document.")) -> None:
    """List every profile, where it runs, and which is the default."""
    from rich.table import Table

    from victor.config import load_config
    from victor.ui.output import out

    loaded = load_config()
    config = loaded.config
    rows: list[dict[str, Any]] = []  # a JSON document's rows
    for name, profile in sorted(config.profiles.items()):
        unset = [variable for variable, _ in loaded.unset_vars.get(name, [])]
        rows.append(
            {
                "name": name,
                "default": name == config.default_profile,
                "provider": profile.provider,
                "model": profile.model or "(embedded)",
                "location": "local" if profile.is_local else "cloud",
                "usable": not unset and not (config.offline_mode and not profile.is_local),
                "unset_env": unset,
            }
        )
    if json_output:
        import json

        typer.echo(json.dumps({"profiles": rows, "sources": loaded.sources, "offline_mode": config.offline_mode}))
        return
    table = Table(title="Profiles" + ("  (offline mode)" if config.offline_mode else ""), title_justify="left")
    for column in ("", "name", "provider", "model", "where", "notes"):
        table.add_column(column)
    for row in rows:
        notes = []
        if row["unset_env"]:
            notes.append("needs " + ", ".join(row["unset_env"]))
        if config.offline_mode and row["location"] == "cloud":
            notes.append("blocked offline")
        table.add_row(
            "*" if row["default"] else "", row["name"], row["provider"], row["model"], row["location"], "; ".join(notes)
        )
    out().print(table)
    out().print("sources: " + " → ".join(loaded.sources))


def show_profile(name: str | None = typer.Argument(None, help="Profile name (default: the default profile).")) -> None:
    """Show one resolved profile as YAML, with keys masked."""
    import yaml

    from victor.config import load_config

    loaded = load_config()
    profile = loaded.profile(name)
    data = profile.model_dump(exclude_none=True)
    if data.get("api_key"):
        data["api_key"] = "****"
    body = {loaded.profile_name(name): data}
    typer.echo(yaml.safe_dump(body, sort_keys=False).rstrip())
    typer.echo(f"# location: {'local' if profile.is_local else 'cloud'}; sources: {' → '.join(loaded.sources)}")


def validate_profiles(
    files: list[Path] = typer.Argument(None, help="Files to check; default: the files Victor would load."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 2) when a profile needs an unset variable."),
) -> None:
    """Check profile files: YAML, schema, env references and the project-may-only-tighten rule. A
    profile that needs an unset environment variable is a warning (CI jobs that check config files
    rarely hold the keys), an error with --strict."""
    from victor.config import load_config
    from victor.errors import ConfigError
    from victor.ui.output import out, warn

    for path in files or []:
        if not path.is_file():
            raise ConfigError(f"{path}: no such file", hint="pass the path of a profiles.yaml")
    loaded = load_config(extra_files=list(files or []))
    for name in loaded.config.profiles:
        if strict or not loaded.unset_vars.get(name):
            loaded.profile(name)
            continue
        for variable, where in loaded.unset_vars[name]:
            warn(f"{where}: profile '{name}' needs environment variable {variable}, which is not set here")
    checked = [source for source in loaded.sources if not source.startswith("<")]
    out().print(
        f"✓ {len(loaded.config.profiles)} profiles valid"
        + (f" ({', '.join(checked)})" if checked else " (built-in only)")
    )
