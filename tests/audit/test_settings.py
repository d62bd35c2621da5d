"""Who may turn the audit log off or move it: the user may (VICTOR_AUDIT_LOG), a project file never,
and nobody once the organisation's profile forces it on."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.audit import open_audit_log
from victor.audit.logfiles import log_path
from victor.config import load_config
from victor.errors import ConfigError


def test_audit_is_on_by_default_under_victor_home(git_repo: Path, victor_home: Path) -> None:
    settings = load_config().config.audit
    assert settings.enabled and log_path(settings) == victor_home / "audit" / "audit.log"


def test_the_environment_can_turn_it_off_and_then_nothing_is_written(
    git_repo: Path, victor_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VICTOR_AUDIT_LOG", "false")
    log = open_audit_log(load_config().config.audit, session_id="s")
    log.record("session_start")
    assert not log.enabled and not (victor_home / "audit").exists()


@pytest.mark.parametrize("setting", ["enabled: false", "path: /tmp/elsewhere.log"])
def test_a_project_file_can_never_turn_it_off_or_move_it(git_repo: Path, setting: str) -> None:
    (git_repo / ".victor").mkdir()
    (git_repo / ".victor" / "profiles.yaml").write_text(f"audit:\n  {setting}\n")
    with pytest.raises(ConfigError, match="may tighten security but not loosen it: 'audit"):
        load_config()


def test_an_organisation_profile_forces_it_on(
    git_repo: Path, victor_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = victor_home / "org.yaml"
    org.write_text("audit:\n  enabled: true\n")
    monkeypatch.setenv("VICTOR_ORG_CONFIG", str(org))
    monkeypatch.setenv("VICTOR_AUDIT_LOG", "false")
    with pytest.raises(ConfigError, match="organisation"):
        load_config()
