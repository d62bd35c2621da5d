"""The enterprise guide's hybrid file, verbatim: `routing.cloud_tasks` with no `cloud_profile` sends
those tasks to the one profile that leaves the machine, and `victor route` says so; with several such
profiles the file is refused, naming `routing.cloud_profile` and the candidates."""

from __future__ import annotations

import json

import pytest

from tests.support.guide import GUIDE_HYBRID

EXPECTED = {
    "code_review": "default", "test_generation": "default", "documentation": "default", "refactoring": "default",
    "architecture_decisions": "production", "production_debugging": "production", "security_analysis": "production",
}


@pytest.mark.parametrize("task", sorted(EXPECTED))
def test_guide_hybrid_file_routes_each_task_where_it_says(victor, victor_home, git_repo, task):
    (victor_home / "profiles.yaml").write_text(GUIDE_HYBRID)
    result = victor("route", "explain the module layout", "--task", task, "--json", cwd=git_repo,
                    env={"ANTHROPIC_API_KEY": "test-only"})
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["profile"] == EXPECTED[task]
    where = "cloud_tasks" if EXPECTED[task] == "production" else "local_tasks"
    assert any(f"routing.{where}" in str(reason) for reason in decision["reasons"])
    assert not any("no routing rule" in str(reason) for reason in decision["reasons"])


def test_several_cloud_profiles_need_routing_cloud_profile(victor, victor_home, git_repo):
    two_clouds = GUIDE_HYBRID.replace(
        "routing:", "  gpt: {provider: openai, model: gpt-4o-mini, api_key: ${OPENAI_API_KEY:-unset}}\nrouting:")
    (victor_home / "profiles.yaml").write_text(two_clouds)
    result = victor("route", "x", "--task", "security_analysis", cwd=git_repo, env={"ANTHROPIC_API_KEY": "test-only"})
    assert result.returncode == 2
    assert "profiles.yaml:7" in result.stderr and "routing.cloud_profile" in result.stderr
    assert "gpt, production" in result.stderr
