"""The project-file loosenings found by the security review (issue 15), each through the real CLI:
`victor profiles validate` refuses the file, and so does a command that loads the project layer
(`victor route`), with exit 2 and one line naming the file, the line and the key. The same changes in
a user's file are refused where the organisation's file set the policy they loosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.config import load_config
from victor.errors import ConfigError

# A careful user: cloud only for what is not listed as local, restricted by default, a big local model
# that may fall back to the cloud for the tasks that use it, a sandbox with limits.
POLICY = """\
default_profile: production
profiles:
  production: {provider: anthropic, model: claude-sonnet-4-5}
  big: {provider: ollama, model: "qwen2.5-coder:32b", fallback: [production]}
routing:
  local_profile: default
  cloud_profile: production
  local_tasks: [code_review, test_generation, documentation, refactoring, security_analysis, general]
  cloud_tasks: [architecture_decisions]
data_classes:
  default: restricted
  restricted: {providers: [ollama, llamacpp]}
sandbox: {memory: 2g, tmp_size: 100m, cpus: 2}
secrets: {exclude_paths: [], baseline: .secrets.baseline}
audit: {rotate_bytes: 52428800}
"""

# (project file, line of the refused key, the key, words of the reason)
LOOSENINGS = {
    "public class over everything": ("data_classes:\n  public:\n    paths: ['**']\n", 3, "data_classes.public.paths",
                                     "below the default class restricted"),
    "no local tasks": ("routing:\n  local_tasks: []\n", 2, "routing.local_tasks",
                       "reach 'production' (anthropic), off this machine"),
    "unlimited memory": ("sandbox:\n  memory: '0'\n", 2, "sandbox.memory", "raises a sandbox limit (2g → 0 = no limit)"),
    "unlimited tmp": ("sandbox:\n  tmp_size: '0'\n", 2, "sandbox.tmp_size", "raises a sandbox limit"),
    "no CPU quota": ("sandbox:\n  cpus: 0.0000000001\n", 2, "sandbox.cpus", "below the smallest sane value, 0.01"),
    "transitive cloud fallback": ("profiles:\n  default:\n    fallback: [big]\n", 3, "profiles.default.fallback",
                                  "reach 'production' (anthropic), off this machine"),
    "scanner excludes everything": ("secrets:\n  exclude_paths: ['*']\n", 2, "secrets.exclude_paths",
                                    "excludes more paths from the secret scanner"),
    "baseline outside the repository": ("secrets:\n  baseline: ../../victor.baseline\n", 2, "secrets.baseline",
                                        "outside the repository"),
    "audit rotation every record": ("audit:\n  rotate_bytes: 1\n", 2, "audit.rotate_bytes",
                                    "below the smallest sane value, 1 MiB"),
}


@pytest.fixture
def policy(victor_home: Path) -> Path:
    path = victor_home / "profiles.yaml"
    path.write_text(POLICY)
    return path


def _refused(result, file: Path, line: int, key: str, words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert f"{file}:{line}: " in first and f"'{key}'" in first and words in first, first


@pytest.mark.parametrize("case", LOOSENINGS)
def test_reviewed_loosening_is_refused_by_validate_and_route(case, victor, policy, git_repo):
    text, line, key, words = LOOSENINGS[case]
    project = git_repo / ".victor" / "profiles.yaml"
    project.parent.mkdir()
    project.write_text(text)
    _refused(victor("profiles", "validate", cwd=git_repo), project, line, key, words)
    _refused(victor("profiles", "validate", str(project), cwd=git_repo), project, line, key, words)
    _refused(victor("route", "review the login code", "--task", "security_analysis", cwd=git_repo),
             project, line, key, words)


def test_tightening_the_same_policy_is_accepted(victor, policy, git_repo):
    project = git_repo / ".victor" / "profiles.yaml"
    project.parent.mkdir()
    project.write_text("data_classes:\n  restricted:\n    paths: ['**']\nsandbox: {memory: 512m, cpus: 1}\n"
                       "secrets: {baseline: tools/secrets.baseline}\naudit: {rotate_bytes: 104857600}\n"
                       "profiles:\n  big: {fallback: []}\nrouting: {cloud_profile: default}\n")
    routed = victor("route", "choose a queue", "--task", "architecture_decisions", cwd=git_repo)
    assert routed.returncode == 0, routed.stderr
    assert routed.stdout.startswith("→ local  default"), routed.stdout  # the cloud task now stays here


@pytest.mark.parametrize("case", LOOSENINGS)
def test_user_file_cannot_loosen_what_the_organisation_set(case, victor_home, tmp_path, monkeypatch):
    org = tmp_path / "org" / "profiles.yaml"
    org.parent.mkdir()
    org.write_text(POLICY)
    monkeypatch.setenv("VICTOR_ORG_CONFIG", str(org))
    text, _, key, words = LOOSENINGS[case]
    (victor_home / "profiles.yaml").write_text(text.replace("../../victor.baseline", "/tmp/victor.baseline"))
    with pytest.raises(ConfigError, match=r"profiles\.yaml:\d+: ") as refused:
        load_config(tmp_path)
    assert "organisation" in refused.value.message or "smallest sane value" in refused.value.message


def test_user_file_may_change_what_the_organisation_left_open(victor_home, tmp_path, monkeypatch):
    org = tmp_path / "org.yaml"
    org.write_text("sandbox: {network: false}\n")
    monkeypatch.setenv("VICTOR_ORG_CONFIG", str(org))
    (victor_home / "profiles.yaml").write_text("sandbox: {memory: 64g}\nsecrets: {exclude_paths: ['vendor/']}\n"
                                               "profiles:\n  cloud: {provider: openai, model: gpt-4o}\n")
    loaded = load_config(tmp_path).config
    assert loaded.sandbox.memory == "64g" and "cloud" in loaded.profiles
