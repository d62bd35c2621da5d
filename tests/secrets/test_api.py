"""The API routing and the audit log rely on: scan_text spans and lines, previews that hide the
secret, redact/Redactor placeholders, and pragmas."""

from __future__ import annotations

import subprocess
import sys

from tests.secrets.conftest import AWS_ID, TOKEN
from victor.secrets import Redactor, redact, scan_text


def test_scan_text_gives_rule_kind_span_and_line() -> None:
    text = f"first line\nexport GITHUB_TOKEN={TOKEN}\n"
    [finding] = scan_text(text, path="env.sh")
    assert (finding.rule, finding.kind, finding.line, finding.path) == ("github-pat", "github", 2, "env.sh")
    assert text[finding.start : finding.end] == TOKEN
    assert finding.preview == "ghp_…"


def test_repr_and_str_never_show_the_secret() -> None:
    [finding] = scan_text(TOKEN)
    assert TOKEN not in repr(finding) and TOKEN not in str(finding) and TOKEN not in repr([finding])


def test_redact_numbers_each_distinct_secret_and_reuses_numbers() -> None:
    text = f"a={TOKEN} b={AWS_ID} c={TOKEN}"
    assert redact(text) == "a=«SECRET:github-pat:1» b=«SECRET:aws-access-key-id:2» c=«SECRET:github-pat:1»"
    assert redact("nothing here") == "nothing here"


def test_redactor_keeps_numbers_across_texts_of_one_request() -> None:
    redactor = Redactor()
    assert redactor.redact(f"key {AWS_ID}") == "key «SECRET:aws-access-key-id:1»"
    assert redactor.redact(f"again {AWS_ID} and {TOKEN}") == (
        "again «SECRET:aws-access-key-id:1» and «SECRET:github-pat:2»"
    )
    assert [f.rule for f in redactor.findings] == ["aws-access-key-id", "aws-access-key-id", "github-pat"]


def test_allow_pragmas() -> None:
    assert scan_text(f"token = '{TOKEN}'  # pragma: allowlist secret") == []
    assert scan_text(f"token = '{TOKEN}'  # gitleaks:allow") == []
    assert scan_text(f"# pragma: allowlist nextline secret\ntoken = '{TOKEN}'") == []
    assert len(scan_text(f"# pragma: allowlist nextline secret\n\ntoken = '{TOKEN}'")) == 1


def test_multiline_private_key_is_one_finding_on_its_first_line() -> None:
    body = "\n".join(["MIIEowIBAAKCAQEAx2kZ7c9Qm1sYhV0PqL3n8RtW5uJ6aB4dC0eF9gH1iJ2kL3mN"] * 4)
    text = f"x = 1\n-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"
    [finding] = scan_text(text)
    assert (finding.rule, finding.line) == ("private-key", 2)
    assert text[finding.end - 5 : finding.end] == "-----"


def test_importing_the_api_is_light() -> None:
    code = ("import sys, victor.secrets; from victor.secrets import scan_text, redact, Redactor; "
            "heavy = {'detect_secrets', 'typer', 'pydantic', 'rich'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
