"""`victor airgap pack OUT [--model GGUF]... [--ollama-model NAME]... [--python 3.11]` and
`victor airgap install BUNDLE`: carry Victor, its models and its sandbox to a machine with no network."""

from __future__ import annotations

from pathlib import Path

import typer

airgap_app = typer.Typer(help="Pack Victor for an air-gapped machine, and install it there.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(airgap_app, name="airgap")


@airgap_app.command("pack")
def pack(
    out: Path = typer.Argument(..., help="The bundle directory to create; OUT.tar also writes a tar."),
    model: list[Path] = typer.Option([], "--model", help="A GGUF file to carry (repeatable; default: embedded)."),
    ollama_model: list[str] = typer.Option([], "--ollama-model", help="An Ollama model, e.g. qwen2.5-coder:7b."),
    python: str | None = typer.Option(None, "--python", help="Build the wheels for this Python (3.11, or a path)."),
) -> None:
    """On a connected machine: wheels, models, sandbox image, profile, install.sh and SHA-256 manifest."""
    import time

    from victor.airgap.pack import PackRequest
    from victor.airgap.pack import pack as pack_bundle
    from victor.ui.output import out as console

    started = time.monotonic()
    result = pack_bundle(PackRequest(out, model, ollama_model, python))
    console().print(f"✓ packed {result.bundle}: {result.files} files, {result.size_bytes / 1e6:.0f} MB "
                    f"in {time.monotonic() - started:.0f} s")
    if result.tar:
        console().print(f"✓ wrote {result.tar} ({result.tar.stat().st_size / 1e6:.0f} MB)")
    console().print(f"on the air-gapped machine: sh {result.bundle.name}/install.sh [VENV_DIR]")


@airgap_app.command("install")
def install(bundle: Path = typer.Argument(..., help="The bundle directory, or the .tar `pack` wrote.")) -> None:
    """On the air-gapped machine: verify every checksum, then install wheels, image, models and profile."""
    import time

    from victor.airgap.install import install as install_bundle
    from victor.ui.output import out as console

    started = time.monotonic()
    result = install_bundle(bundle)
    console().print(f"✓ installed in {time.monotonic() - started:.0f} s: {len(result.models)} model files, "
                    f"image {result.image_tag}, profile {result.profile_file}")
    console().print("next: `victor doctor --offline`, then `victor run --profile airgapped \"hello\"`")
