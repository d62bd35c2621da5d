"""The routing settings are checked when the profile file loads: names must exist, and the
"local" profile must stay on this machine. Errors point at the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.config import load_config
from victor.errors import ConfigError

BAD = [
    ("routing:\n  cloud_profile: prod\n", ":2: 'routing.cloud_profile': no profile named 'prod'"),
    ("routing:\n  local_profile: nope\n", ":2: 'routing.local_profile': no profile named 'nope'"),
    ("profiles:\n  x:\n    provider: ollama\n    model: m\n    fallback: [embedded, embeded]\n",
     ":5: 'profiles.x.fallback.1': no profile named 'embeded'"),
    ("routing:\n  local_profile: c\nprofiles:\n  c: {provider: openai, model: m}\n",
     ":2: 'routing.local_profile': 'c' sends data off this machine"),
]


@pytest.mark.parametrize(("text", "error"), BAD)
def test_bad_routing_settings(text: str, error: str, victor_home: Path) -> None:
    (victor_home / "profiles.yaml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config()
    assert error in raised.value.message


def test_shipped_profiles_load(victor_home: Path) -> None:
    shipped = Path(__file__).parents[2] / "profiles"
    for example in sorted(shipped.glob("*.yaml")):
        config = load_config(extra_files=[example]).config
        assert config.routing.local_profile is None or config.profiles[config.routing.local_profile].is_local
