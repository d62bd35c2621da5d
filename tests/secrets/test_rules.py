"""Every rule in victor.secrets.rules finds its example, and placeholders of the same shape are not found."""

from __future__ import annotations

import pytest

from tests.secrets.conftest import TOKEN
from tests.secrets.rule_examples import EXAMPLES
from victor.secrets import scan_text
from victor.secrets.rules import RULES

RULE_IDS = [rule.id for rule in RULES]


def test_every_rule_has_an_example() -> None:
    assert sorted(set(RULE_IDS) - set(EXAMPLES)) == []
    assert len(RULE_IDS) == len(set(RULE_IDS)), "rule ids must be unique"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_finds_its_example(rule_id: str) -> None:
    text = EXAMPLES[rule_id]
    found = {finding.rule for finding in scan_text(text, path="config.txt")}
    assert rule_id in found, f"{rule_id} missed its example; found {found}"


@pytest.mark.parametrize("text", [
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "AKIAXXXXXXXXXXXXXXXX",
    'api_key = "${API_KEY}"',
    "password: <your-password-here>",
    'token = "{{ secrets.TOKEN }}"',
    'secret_key = "changeme"',
    'password = "your_password"',
    'api_key = "EXAMPLEKEY1234567890abcd"',
    'password = "aaaaaaaaaaaaaaaaaaaa"',
    'token = "abcdefghijklmnopqrstuvwxyz"',
])
def test_placeholders_are_not_secrets(text: str) -> None:
    assert scan_text(text, path="settings.py") == []


@pytest.mark.parametrize("text", [
    "password = get_password(user)",
    "api_key = settings.API_KEY",
    "token = os.environ['GITHUB_TOKEN']",
    "key_name = 'prod-deploy-key-2024'",
    'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"',
    'keyword = "Befaehigung_P2"',
    "version = '1.2.3-beta.4'",
])
def test_code_and_metadata_are_not_secrets(text: str) -> None:
    assert scan_text(text, path="app.py") == []


def test_hash_context_silences_generic_rules_but_not_provider_formats() -> None:
    digest = "sha256_token = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"
    assert scan_text(digest, path="app.py") == []
    lock = 'integrity_token = "Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB"'
    assert scan_text(lock, path="package-lock.json") == []
    github = "checksum of " + TOKEN
    assert [f.rule for f in scan_text(github, path="go.sum")] == ["github-pat"]
