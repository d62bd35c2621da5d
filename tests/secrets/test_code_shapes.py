"""Values shaped like code, not like secrets, are not reported by the context rules: templates and
format strings, expressions, dotted and numbered names, parameter lists, values on minified lines,
PEM markers without a key, base64 of a stand-in, a certificate's body, a path of names. Each shape is
written here for this test (not copied from any project), next to a real-looking value of the same
context that is still reported, so the filters cannot pass by silencing everything."""

from __future__ import annotations

import base64

import pytest

from tests.secrets.rule_examples import HEX, LOWER_ALNUM, r
from victor.secrets import scan_text


def _minified(statement: str) -> str:
    """One statement inside a line of 1,000+ characters of bundled script."""
    return "!function(e){" + ";".join(f"var a{i}=e.b{i}(c{i})" for i in range(60)) + f";{statement}}}();"


_MARKER = "-----{edge} RSA PRIVATE KEY-----"
_TYPED = "".join(["p{a]s(s}w[o)", "rd9Xz!"])  # a typed password full of brackets


def _rules(text: str, path: str) -> list[str]:
    return [finding.rule for finding in scan_text(text, path=path)]


@pytest.mark.parametrize(("path", "text"), [
    ("app.py", 'api_key = "{service}-{region}-{stage}"'),  # str.format fields
    ("cli.py", "hint = f\"did you mean to pass '--{name}'?\" if token else None"),  # a message template
    ("app.js", "const apiKey = `k-${prefix}-${env.region}`;"),  # a JS template literal
    ("app.rb", 'api_token = "t-#{tenant_id}-#{region}"'),  # Ruby interpolation
    ("dist/bundle.js", _minified(f'var o={{sessionKey:"{r(12, LOWER_ALNUM)}",n:1}}')),  # minified
    ("dist/bundle.js", _minified(f'o.token="{r(12, LOWER_ALNUM)}"')),
    ("lib.js", "exports.X509KeyUsage = exports.X509SubjectKeyId = void 0;"),  # dotted names
    ("types.py", "key: PKCS12PrivateKeyTypes | None,"),  # a type annotation
    ("cfg.py", 'cache_key = "userProfile2Settings"'),  # a numbered name
    ("api.py", "params = [('key1', 'valueForKey1'), ('key2', 'valueForKey2')]"),
    ("docs.txt", "Syntax: ParameterKey1=ParameterValue1 ParameterKey2=ParameterValue2"),  # parameters
    ("cfg.py", 'storage_key = "DefaultEndpointsProtocol=https;AccountName=devstore;AccountKey="'),
    ("test_auth.py", 'headers = {"Authorization": "Basic ' + base64.b64encode(b"username:password").decode() + '"}'),
    ("crypto.py", f'MARKERS = ("{_MARKER.format(edge="BEGIN")}",\n{" " * 26}"{_MARKER.format(edge="END")}")'),
    ("ca.pem", "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\nAKCh" + r(29) + "/" + r(30)),
    ("rules.py", 'PATHS = ["AWS::IAM::ManagedPolicy/Properties/PolicyDocuments"]'),  # a path of names
    ("schemas.py", f'KINDS = {{"Acme::Vault::SigningKey": "{r(16, HEX)}"}}'),  # a qualified type, not a variable
])
def test_code_shaped_values_are_not_secrets(path: str, text: str) -> None:
    assert _rules(text, path) == []


@pytest.mark.parametrize(("path", "text", "rule"), [
    ("app.py", f'api_key = "{r(24)}"', "generic-secret"),
    ("app.js", f"const apiKey = `{r(24)}`;", "generic-secret"),
    ("dist/bundle.js", _minified(f'var o={{sessionKey:"{r(12)}7aQ{r(12)}",n:1}}'), "generic-secret"),
    ("cfg.py", f'cache_key = "{r(20)}2"', "generic-secret"),
    ("schemas.py", f'KINDS = {{"SigningKey": "{r(16, HEX)}"}}', "generic-secret"),
    ("settings.py", f'db_password = "{_TYPED}"', "generic-secret"),  # brackets, but not nested as code has them
    ("test_auth.py", 'h = {"Authorization": "Basic ' + base64.b64encode(f"deploy:{r(16)}".encode()).decode() + '"}',
     "authorization-header"),
    ("key.pem", f"{_MARKER.format(edge='BEGIN')}\n{r(64)}\n{r(64)}\n{_MARKER.format(edge='END')}\n", "private-key"),
])
def test_real_looking_values_in_the_same_places_are_still_secrets(path: str, text: str, rule: str) -> None:
    assert _rules(text, path) == [rule]
