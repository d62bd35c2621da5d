"""A project file (a cloned repository's `.victor/profiles.yaml`) may not loosen the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.config import load_config
from victor.errors import ConfigError


@pytest.mark.parametrize("setting, reason", [
    ("backend: none", "turns the sandbox off"),
    ("network: true", "opens the sandbox's network"),
    ("image: attacker/tools:latest", "changes the sandbox image"),
    ("pids_limit: 100000", "raises a sandbox limit"),
    ("env_allowlist: [AWS_SECRET_ACCESS_KEY]", "forwards more host environment into the sandbox"),
])
def test_a_project_file_cannot_loosen_the_sandbox(tmp_path: Path, setting: str, reason: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".victor").mkdir()
    (tmp_path / ".victor" / "profiles.yaml").write_text(f"sandbox: {{{setting}}}\n")
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path)
    assert reason in refused.value.message + (refused.value.hint or "")


def test_a_project_file_may_tighten_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".victor").mkdir()
    (tmp_path / ".victor" / "profiles.yaml").write_text("sandbox: {memory: 512m, timeout_s: 30}\n")
    settings = load_config(tmp_path).config.sandbox
    assert (settings.memory, settings.timeout_s) == ("512m", 30)
