"""`victor models [--profile P] [--json]`: the models a profile's backend offers."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("models")(list_models)


def list_models(
    profile: str = typer.Option(
        None, "--profile", "-p", help="Profile whose backend to ask (default: the default profile)."
    ),
    json_output: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """List the models the selected profile's backend offers (Ollama's tags, a server's /v1/models,
    the GGUF an in-process profile loads)."""
    from victor.config import load_config
    from victor.providers.registry import build_provider
    from victor.ui.output import out

    loaded = load_config()
    name = loaded.profile_name(profile)
    settings = loaded.profile(name)
    backend = build_provider(name, settings, offline=loaded.config.offline_mode)
    try:
        models = backend.list_models()
    finally:
        backend.close()
    if json_output:
        import json

        typer.echo(json.dumps({"profile": name, "provider": settings.provider, "models": models}))
        return
    out().print(f"{name} ({settings.provider}): {len(models)} model{'s' if len(models) != 1 else ''}")
    for model in models:
        marker = "*" if model == settings.model else " "
        out().print(f" {marker} {model}")
