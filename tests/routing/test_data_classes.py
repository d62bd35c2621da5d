"""Data classes: globs give files a class, the most sensitive file sets the request's class."""

from __future__ import annotations

import json

import pytest

from victor.config.schema import DataClassesConfig
from victor.routing.data_classes import classify_request, glob_match

GLOBS = [
    ("secrets/db.env", "secrets/**", True),
    ("secrets/a/b/c.txt", "secrets/**", True),
    ("src/secrets/x", "secrets/**", False),
    ("src/secrets/x", "**/secrets/**", True),
    ("certs/server.pem", "*.pem", True),
    ("server.pem", "*.pem", True),
    ("server.pem.txt", "*.pem", False),
    (".env", "**/.env*", True),
    ("deploy/.env.prod", "**/.env*", True),
    ("src/app.py", "src/*.py", True),
    ("src/sub/app.py", "src/*.py", False),
    ("./customers/list.csv", "customers/", False),
    ("customers/list.csv", "customers/**", True),
]


@pytest.mark.parametrize(("path", "pattern", "matches"), GLOBS)
def test_glob(path: str, pattern: str, matches: bool) -> None:
    assert glob_match(path, pattern) is matches


CONFIG = DataClassesConfig.model_validate({
    "default": "internal",
    "public": {"paths": ["docs/**"]},
    "confidential": {"paths": ["customers/**"], "providers": ["ollama", "llamacpp", "anthropic"]},
    "restricted": {"paths": ["secrets/**", "*.pem"], "providers": ["ollama", "llamacpp"]},
})
REQUESTS = [
    ([], "internal", None),
    (["docs/a.md"], "public", "docs/a.md"),
    (["docs/a.md", "src/b.py"], "internal", None),
    (["src/b.py", "customers/x.csv"], "confidential", "customers/x.csv"),
    (["customers/x.csv", "keys/k.pem", "docs/a.md"], "restricted", "keys/k.pem"),
]


@pytest.mark.parametrize(("paths", "level", "source"), REQUESTS)
def test_request_class_is_its_most_sensitive_file(paths: list[str], level: str, source: str | None) -> None:
    got = classify_request(paths, CONFIG)
    assert (got.level, got.path if got.pattern else None) == (level, source)


def test_providers_allowed() -> None:
    restricted = classify_request(["secrets/x"], CONFIG)
    assert restricted.allows("ollama", local=True) and not restricted.allows("anthropic", local=False)
    assert restricted.describe() == "restricted (secrets/x matches 'secrets/**'); may go to ollama, llamacpp"
    assert classify_request([], CONFIG).allows("openai", local=False)


GUIDE_HYBRID = """\
profiles:
  default: {provider: ollama, model: qwen2.5-coder:7b, base_url: http://localhost:11434}
  vllm: {provider: openai-compatible, model: coder, base_url: http://127.0.0.1:8000/v1}
  production: {provider: anthropic, model: claude-sonnet-4-5, api_key: test-only}
routing: {cloud_tasks: [architecture_decisions], cloud_profile: production}
data_classes:
  confidential: {paths: ["customers/**"]}
  restricted: {paths: ["*.pem"]}
"""


@pytest.mark.parametrize("path", ["customers/list.csv", "certs/server.pem"])
def test_confidential_and_restricted_stay_local_unless_a_file_lists_providers(victor, victor_home, git_repo, path):
    """The strategy guide: confidential means local models only. A class that lists no providers may
    go to any profile on this machine (any provider), never off it."""
    for name in ("customers/list.csv", "certs/server.pem"):
        (git_repo / name).parent.mkdir(exist_ok=True)
        (git_repo / name).write_text("name,city\nAda,London\n")
    (victor_home / "profiles.yaml").write_text(GUIDE_HYBRID)
    routed = victor("route", "design the queue", "--task", "architecture_decisions", "--file", path, "--json",
                    cwd=git_repo)
    assert routed.returncode == 0, routed.stderr
    decision = json.loads(routed.stdout)
    assert decision["location"] == "local" and decision["data_class"] in {"confidential", "restricted"}
    assert any("may go to local profiles" in reason["detail"] for reason in decision["reasons"])

    listed = GUIDE_HYBRID.replace('confidential: {paths: ["customers/**"]}',
                                  'confidential: {paths: ["customers/**"], providers: [anthropic, ollama]}')
    (victor_home / "profiles.yaml").write_text(listed)
    routed = victor("route", "design the queue", "--task", "architecture_decisions", "--file", "customers/list.csv",
                    "--json", cwd=git_repo)
    assert json.loads(routed.stdout)["profile"] == "production"
