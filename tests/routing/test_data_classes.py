"""Data classes: globs give files a class, the most sensitive file sets the request's class."""

from __future__ import annotations

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
    assert restricted.allows("ollama") and not restricted.allows("anthropic")
    assert restricted.describe() == "restricted (secrets/x matches 'secrets/**'); may go to ollama, llamacpp"
    assert classify_request([], CONFIG).allows("openai")
