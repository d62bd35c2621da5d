"""`victor doctor --offline` fails, and says why, on a machine that is not set up for it."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.docker, pytest.mark.model]


@pytest.mark.egress_denial_expected  # the egress check tries a connect past loopback on purpose
def test_doctor_offline_fails_when_offline_mode_is_off(victor, sandbox_image: str, tmp_path) -> None:  # noqa: ANN001
    result = victor("doctor", "--offline", "--json", cwd=tmp_path)
    assert result.returncode == 1
    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    assert checks["offline profile"]["ok"] is False
    assert checks["offline profile"]["detail"] == "offline_mode is off"
    assert checks["egress guard"]["ok"] is True
    assert checks["sandbox"]["ok"] is True, checks["sandbox"]
