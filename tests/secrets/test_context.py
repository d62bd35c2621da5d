"""Context mechanisms around the rules: fixture names, values that spell their own name, provider-owned
prefixes, typed digit repeats, hash words inside a value, and a Google key that must be given to something.
Values are generated here, not copied from any corpus."""

from __future__ import annotations

import base64

from tests.secrets.rule_examples import HEX, LOWER_ALNUM, r
from victor.secrets import scan_text


def _rules(text: str, path: str = "app.go") -> list[str]:
    return [finding.rule for finding in scan_text(text, path=path)]


def test_fixture_names_silence_context_rules() -> None:
    value = r(18)
    assert _rules(f'apiToken := "{value}"') == ["generic-secret"]
    for name in ("nonMatchingToken", "invalid_token", "fakePassword", "dummy_secret", "badApiKey"):
        assert _rules(f'{name} := "{value}"') == [], name


def test_a_value_spelling_its_own_name_is_a_label() -> None:
    assert _rules('const SN_key_Rsa2048_Oaep_Padding = "key-Rsa2048-Oaep-Padding"', "consts.rs") == []
    assert _rules(f'const SIGNING_KEY = "{r(24)}"', "consts.rs") == ["generic-secret"]


def test_a_provider_prefix_with_a_bad_body_is_left_to_its_rule() -> None:
    near_miss = "dapi" + r(31, HEX) + "z"  # databricks shape, but not hex throughout
    assert _rules(f'DATABRICKS_TOKEN = "{near_miss}"', "settings.py") == []
    short_telegram = "4" * 2 + "93" + ":A" + r(30, LOWER_ALNUM)  # four digits: too few for a bot id
    assert _rules(f'telegram_token = "{short_telegram}"', "bot.py") == []


def test_telegram_bot_token_shape() -> None:
    token = r(9, "0123456789") + ":A" + r(34, LOWER_ALNUM + "_-")
    assert _rules(f"bot: {token}", "notes.txt") == ["telegram-bot-token"]


def test_typed_digit_repeats_are_placeholders() -> None:
    assert _rules(f'"token": "xoxp-1234-1234-1234-{r(32, HEX)}"', "conf.json") == []
    assert _rules(f'SLACK = "xoxb-{r(11, "0123456789")}-{r(12, "0123456789")}-{r(24)}"', "conf.py") == ["slack-token"]


def test_hash_words_inside_the_value_do_not_make_a_hash_context() -> None:
    value = r(10, LOWER_ALNUM) + "md5" + r(12, LOWER_ALNUM) + "7"
    assert _rules(f'launch_token = "{value}"', "app.py") == ["generic-secret"]
    assert _rules(f'md5_token = "{value}"', "app.py") == []


def test_google_key_counts_when_given_to_something() -> None:
    key = "AIza" + r(35)
    assert _rules(key, "notes.txt") == []
    for text in (f"apiKey: '{key}'", f"GOOGLE_KEY={key}", f"client.init({key})", f'"{key}"'):
        assert _rules(text, "config.txt") == ["gcp-api-key"], text


def test_cli_basic_auth_takes_the_password_part() -> None:
    password = r(6) + "!" + r(8)
    [finding] = scan_text(f"curl -s --user 'deploy:{password}' https://api.internal/v2", path="run.sh")
    assert (finding.rule, finding.secret) == ("cli-basic-auth", password)
    assert _rules("docker run -u 1000:1000 image", "run.sh") == []


def test_docker_auth_spans_lines_and_escapes() -> None:
    auth = r(40)
    assert _rules('{\n  "auths": {\n    "registry.test": {\n      "auth": "' + auth + '"\n    }\n  }\n}', "config.json") == [
        "docker-auth"
    ]
    escaped = 'env = ["DOCKER_AUTH_CONFIG={\\"auths\\":{\\"registry.test\\":{\\"auth\\":\\"' + auth + '\\"}}}"]'
    assert _rules(escaped, "config.toml") == ["docker-auth"]


def test_kubernetes_data_counts_only_in_a_secret() -> None:
    value = base64.b64encode(r(30).encode()).decode()
    manifest = "apiVersion: v1\ndata:\n  .dockercfg: |\n    {value}\nmetadata:\n  name: pull\nkind: {kind}\n"
    assert _rules(manifest.format(value=value, kind="Secret"), "pull.yaml") == ["kubernetes-secret-data"]
    assert _rules(manifest.format(value=value, kind="ConfigMap"), "pull.yaml") == []
