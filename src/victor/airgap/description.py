"""bundle.json: what a bundle holds, written by pack and read back by install."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from victor.airgap import DESCRIPTION
from victor.errors import VictorError

FORMAT = 1


@dataclass
class BundleDescription:
    victor_version: str
    python_version: str
    platform: str
    models: list[str]
    image_tag: str
    image_file: str
    ollama_models: list[str] = field(default_factory=list)
    mcp_images: dict[str, str] = field(default_factory=dict)  # MCP servers' own images: tag -> bundle file
    format: int = FORMAT

    def write(self, bundle: Path) -> None:
        (bundle / DESCRIPTION).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, bundle: Path) -> BundleDescription:
        path = bundle / DESCRIPTION
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            description = cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise VictorError(f"{path} is not a bundle description ({type(exc).__name__})",
                              hint="pack the bundle again with `victor airgap pack`") from None
        if description.format != FORMAT:
            raise VictorError(f"{path}: bundle format {description.format}, this Victor reads format {FORMAT}",
                              hint="pack the bundle with the same Victor version that installs it")
        return description
