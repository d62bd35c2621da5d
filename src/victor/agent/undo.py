"""Edit snapshots and undo. Before a tool first writes a file in a set of edits (one prompt's run),
its prior content (or its absence) is saved under `<session>/snapshots/<n>/` (directories 0700,
files 0600; the bytes exactly as they were, secrets included, so undo restores them); `undo_last()`
restores the newest set and removes it, so repeated undos walk further back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from victor.agent.private_files import DIRECTORY_MODE, copy_private, private_directory, write_private
from victor.errors import UsageError
from victor.tools.workspace import Workspace

MANIFEST = "manifest.json"


class EditSnapshots:
    def __init__(self, directory: Path, workspace: Workspace) -> None:
        self.directory = directory
        self.workspace = workspace
        self._current: Path | None = None

    def begin(self) -> None:
        """Start a new set of edits; it is created on disk only when something is saved into it."""
        self._current = None

    def save(self, path: str) -> None:
        """Snapshot `path` (workspace-relative or as the tool got it) before its first write in this set."""
        real = self.workspace.resolve(path, write=True)
        relative = self.workspace.relative(real)
        target = self._set_directory()
        manifest = _read_manifest(target)
        if relative in manifest:
            return
        existed = real.is_file()
        if existed:
            copy_private(real, target / f"{len(manifest)}.orig")
        manifest[relative] = {"existed": existed, "copy": f"{len(manifest)}.orig" if existed else None}
        write_private(target / MANIFEST, json.dumps(manifest, indent=1))

    def undo_last(self) -> list[str]:
        """Restore the newest set of edits; the restored workspace-relative paths."""
        sets = sorted((p for p in self.directory.glob("*") if (p / MANIFEST).is_file()), key=lambda p: int(p.name))
        if not sets:
            raise UsageError("nothing to undo in this session")
        newest = sets[-1]
        restored = []
        for relative, entry in _read_manifest(newest).items():
            real = self.workspace.resolve(relative, write=True)
            if entry["existed"]:
                real.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(newest / entry["copy"], real)
            elif real.is_file():
                real.unlink()
            restored.append(relative)
        shutil.rmtree(newest)
        if self._current == newest:
            self._current = None
        return restored

    def _set_directory(self) -> Path:
        if self._current is None:
            numbers = [int(p.name) for p in self.directory.glob("*") if p.name.isdigit()]
            self._current = private_directory(self.directory) / str(max(numbers, default=0) + 1)
            self._current.mkdir(mode=DIRECTORY_MODE)
        return self._current


def _read_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    path = directory / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else {}
