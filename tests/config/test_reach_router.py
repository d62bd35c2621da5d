"""`victor.config.reach` is the router read as a reachability question; the tighten-only check is only
as sound as that reading. So, for random user files (hypothesis), the real Router decides every task
type and every requested profile, for each sample file and with or without a secret, and then falls
back after a failure until it runs out: every profile off this machine it picks must be one that
`Reach` says can be reached."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from tests.config.policies import FILES, TASKS, user_files
from tests.routing.conftest import unrecorded
from victor.config import load_config
from victor.config.reach import Reach
from victor.errors import ConfigError, PolicyDenied, ProviderError
from victor.routing import HealthTracker, Router, RouteRequest
from victor.routing.data_classes import LEVELS, class_of

EXAMPLES = int(os.environ.get("VICTOR_PROPERTY_EXAMPLES", "1500")) // 5
SECRET = "token ghp_" + "A1b2C3d4" * 4 + "x9Zq"  # built at run time: no literal secret in this file


@pytest.fixture(scope="module")
def home():
    base = Path(tempfile.mkdtemp(prefix="victor-reach-"))
    yield base
    shutil.rmtree(base)


def _visited(router: Router, request: RouteRequest) -> list[str]:
    """The profile the router picks, then each one it falls back to as the previous one fails."""
    try:
        decision = router.decide(request)
    except PolicyDenied:
        return []
    picked = [decision.profile]
    for _ in range(20):
        decision = router.fallback(decision, ProviderError("down", retryable=True, status=503))
        if decision is None:
            break
        picked.append(decision.profile)
    return picked


@settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(user=user_files(), file=st.sampled_from([None, *FILES]), secret=st.booleans())
def test_every_cloud_profile_the_router_picks_is_reachable(user, file, secret, home, monkeypatch):
    monkeypatch.setenv("VICTOR_HOME", str(home))
    (home / "profiles.yaml").write_text(json.dumps(user, separators=(',', ':')))
    try:
        loaded = load_config(home / "nowhere", env={})
    except ConfigError:
        assume(False)
    config = loaded.config
    level = class_of(file, config.data_classes)[0] if file else config.data_classes.default
    assert level in LEVELS
    reach = Reach(config)
    routes = [("task", task) for task in TASKS] + [("profile", name) for name in sorted(config.profiles)]
    for kind, value in routes:
        request = RouteRequest(f"please help {SECRET if secret else ''}", files={file: "text"} if file else {},
                               task=value if kind == "task" else "general", profile=value if kind == "profile" else None)
        router = Router(loaded, audit=unrecorded(loaded), health=HealthTracker(failure_threshold=1))
        reachable = {name for name, _, _ in reach.cloud((kind, value), level, secret)}
        for name in _visited(router, request):
            assert config.profiles[name].is_local or name in reachable, (kind, value, level, secret, name)
