"""Tighten-only as a property (hypothesis): random user and project files go through the real loader,
and whenever it accepts the project layer, the effective policy with it is no looser on any axis than
without it — judged here, independently of `victor.config.tighten`, from the two merged configurations:
the cloud profiles each task type or requested profile can reach for each file's data class (with the
router's own classifier), every numeric limit, data classes, secrets, audit and the other switches
(`tests/config/policies.py`). The same holds for a user's file above an organisation's file that sets
all of that. And each loosening from the security review is refused whatever the user's file says.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from tests.config.policies import looser_axes, project_files, user_files
from victor.config import Config, load_config
from victor.errors import ConfigError

EXAMPLES = int(os.environ.get("VICTOR_PROPERTY_EXAMPLES", "1500"))


@pytest.fixture(scope="module")
def place():
    """A VICTOR_HOME and a repository reused by every example (hypothesis runs many per test)."""
    base = Path(tempfile.mkdtemp(prefix="victor-tighten-"))
    (base / "home").mkdir()
    (base / "repo" / ".victor").mkdir(parents=True)
    (base / "bare").mkdir()
    yield base
    shutil.rmtree(base)


def _load(place: Path, monkeypatch, user: dict, project: dict | None) -> Config:
    monkeypatch.setenv("VICTOR_HOME", str(place / "home"))
    (place / "home" / "profiles.yaml").write_text(json.dumps(user, separators=(',', ':')))
    root = place / ("repo" if project is not None else "bare")
    if project is not None:
        (root / ".victor" / "profiles.yaml").write_text(json.dumps(project, separators=(',', ':')))
    return load_config(root, env={}).config


PROPERTY = settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_an_accepted_project_file_is_never_looser(data, place, monkeypatch):
    user = data.draw(user_files(), label="user")  # always a valid file
    project = data.draw(project_files(user), label="project")
    try:
        after = _load(place, monkeypatch, user, project)
    except ConfigError as refused:
        assert ".victor/profiles.yaml" in refused.message  # refusals name the project file
        event("refused: " + re.sub(r".*?: '([a-z_]+)[.'].*", r"\1", refused.message))
        return
    event("accepted")
    before = _load(place, monkeypatch, user, None)
    assert looser_axes(before, after, place / "repo") == []


@PROPERTY
@given(data=st.data())
def test_an_accepted_user_file_never_loosens_what_the_organisation_set(data, place, monkeypatch):
    org = data.draw(user_files(complete=True), label="organisation")
    monkeypatch.setenv("VICTOR_ORG_CONFIG", str(place / "org.yaml"))
    (place / "org.yaml").write_text(json.dumps(org))
    before = _load(place, monkeypatch, {}, None)
    user = data.draw(project_files(org), label="user")
    try:
        after = _load(place, monkeypatch, user, None)
    except ConfigError as refused:
        assert str(place / "home" / "profiles.yaml") in refused.message  # refusals name the user's file
        return
    event("accepted")
    assert looser_axes(before, after, place / "bare") == []


# The loosenings the security review found; each is refused wherever it loosens the user's policy.
LOOSENINGS = {
    "public class covering everything": {"data_classes": {"public": {"paths": ["**"]}}},
    "no local tasks": {"routing": {"local_tasks": []}},
    "unlimited memory": {"sandbox": {"memory": "0"}},
    "unlimited tmp": {"sandbox": {"tmp_size": "0"}},
    "no CPU quota": {"sandbox": {"cpus": 0.0000000001}},
    "fallback to a profile that falls back to the cloud": {"profiles": {"default": {"fallback": ["big"]}}},
    "exclude everything from the scanner": {"secrets": {"exclude_paths": ["*"]}},
    "baseline outside the repository": {"secrets": {"baseline": "../outside.baseline"}},
    "audit rotation every record": {"audit": {"rotate_bytes": 1}},
}


def _merged(before: Config, project: dict) -> Config | None:
    """The configuration the project file asks for, merged as the loader merges (no check applied)."""

    def merge(base, layer):
        if isinstance(base, dict) and isinstance(layer, dict):
            return {**base, **{key: merge(base.get(key), value) for key, value in layer.items()}}
        return layer

    try:
        return Config.model_validate(merge(before.model_dump(), project))
    except ValueError:
        return None


@PROPERTY
@given(data=st.data(), case=st.sampled_from(sorted(LOOSENINGS)))
def test_each_reviewed_loosening_is_refused(data, case, place, monkeypatch):
    user = data.draw(user_files(), label="user")
    before = _load(place, monkeypatch, user, None)
    project = LOOSENINGS[case]
    asked = _merged(before, project)
    assume(asked is not None and looser_axes(before, asked, place / "repo"))
    with pytest.raises(ConfigError, match=r"\.victor/profiles\.yaml:\d+: "):
        _load(place, monkeypatch, user, project)
