"""Secrets hidden from a line-by-line regex: base64 and hex encoded (one level, bounded), and values
split across literals or lines (`+`, `.`, implicit concatenation, backslash continuation). Findings sit
at the encoded or split span, with a rule id saying how the value was hidden. Every token here is
put together at run time."""

from __future__ import annotations

import base64
import binascii
import time
from pathlib import Path

import pytest

from tests.secrets.conftest import TOKEN, git
from tests.secrets.rule_examples import r
from victor.secrets import Redactor, redact, scan_text


def _b64(text: str, encode=base64.b64encode) -> str:  # noqa: ANN001 - one of base64's encoders
    return encode(text.encode()).decode()


def _hex(text: str) -> str:
    return binascii.hexlify(text.encode()).decode()


def _found(text: str, path: str = "app.py") -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, text[f.start : f.end]) for f in scan_text(text, path=path)]


@pytest.mark.parametrize(("encoded", "how"), [
    (_b64(TOKEN), "base64"),
    (_b64(f"export GITHUB_TOKEN={TOKEN}\n"), "base64"),
    (_b64(f"{TOKEN}>>", base64.urlsafe_b64encode), "base64"),
    (_hex(TOKEN), "hex"),
    ("0x" + _hex(TOKEN).upper(), "hex"),
    ("".join(f"\\x{byte:02x}" for byte in TOKEN.encode()), "hex"),
])
def test_encoded_tokens_are_found_at_the_encoded_span(encoded: str, how: str) -> None:
    text = f"settings:\n  blob: {encoded}\n"
    assert _found(text, "config.yaml") == [(f"github-pat+{how}", 2, encoded)]


@pytest.mark.parametrize("width", [76, 64, 60])
def test_a_base64_blob_wrapped_at_a_fixed_width_is_decoded_whole(width: int) -> None:
    blob = _b64(f"{r(50)} deploy token {TOKEN} {r(60)}")
    wrapped = "\n    ".join(blob[i : i + width] for i in range(0, len(blob), width))
    [(rule, line, span)] = _found(f"data: |\n    {wrapped}\nkind: Secret\n", "secret.yaml")
    assert (rule, line, span.split()) == ("github-pat+base64", 2, wrapped.split())



def test_a_generic_match_on_an_encoded_token_gives_way_to_the_decoded_format() -> None:
    text = f'token_b64 = "{_b64(TOKEN)}"'
    assert [rule for rule, _, _ in _found(text)] == ["github-pat+base64"]


def test_encoded_findings_are_redacted_and_numbered_with_the_plain_token() -> None:
    redactor = Redactor()
    assert redactor.redact(f"a={TOKEN}") == "a=«SECRET:github-pat:1»"
    assert redactor.redact(f"b={_b64(TOKEN)}") == "b=«SECRET:github-pat+base64:1»"
    assert TOKEN[4:] not in redact(f"c = {_hex(TOKEN)}")


def test_decoding_is_bounded_to_printable_text_of_a_plausible_size() -> None:
    assert [f.rule for f in scan_text(f"blob: {_b64(TOKEN + ' ' * 5000)}")] == ["github-pat+base64"]
    assert scan_text(f"blob: {_b64(TOKEN + ' ' * 9000)}") == []  # more than 8 KiB of base64 is not tried
    binary = _b64(TOKEN + "".join(map(chr, range(1, 32))) * 2)  # decodes, but not to text
    assert scan_text(f"icon = '{binary}'", path="ui.py") == []


@pytest.mark.parametrize("template", [
    'TOKEN = "{a}" +\n    "{b}"',  # + across lines
    'TOKEN = ("{a}"\n         "{b}")',  # implicit concatenation
    'TOKEN = "{a}" \\\n    "{b}"',  # explicit line joining between literals
    'TOKEN = "{a}\\\n{b}"',  # backslash continuation inside a literal
    "$token = '{a}' .\n  '{b}';",  # PHP's concatenation operator
    "local token = '{a}' ..\n  '{b}'",  # Lua's
    "const token = `{a}` +\n  `{b}`;",  # template literals
])
def test_tokens_split_across_literals_are_rejoined(template: str) -> None:
    text = template.format(a=TOKEN[:11], b=TOKEN[11:])
    [(rule, line, span)] = _found(text)
    assert (rule, line) == ("github-pat+joined", 1)
    assert span.startswith(TOKEN[:11]) and span.endswith(TOKEN[11:])


def test_a_shell_line_continued_with_a_backslash_is_rejoined() -> None:
    text = f"export GITHUB_TOKEN={TOKEN[:9]}\\\n{TOKEN[9:]}\necho done\n"
    [(rule, line, span)] = _found(text, "deploy.sh")
    assert (rule, line, span) == ("github-pat+joined", 1, f"{TOKEN[:9]}\\\n{TOKEN[9:]}")


def test_a_split_password_is_found_whole_with_its_name() -> None:
    first, second = r(7) + "#", r(7) + "!"
    text = f'db_password = ("{first}"\n               "{second}")'
    [finding] = scan_text(text, path="settings.py")
    assert (finding.rule, finding.secret) == ("generic-secret+joined", first + second)
    assert redact(text) == 'db_password = ("«SECRET:generic-secret+joined:1»")'


def test_a_bearer_token_in_its_own_literal_is_read_with_the_scheme_before_it() -> None:
    text = f'headers = {{"Authorization": "Bearer " +\n    "{r(40)}"}}'
    assert [rule for rule, _, _ in _found(text, "client.py")] == ["authorization-header+joined"]


def test_a_pragma_on_a_hidden_finding_allows_it() -> None:
    line = f"blob: {_b64(TOKEN)}"
    assert [f.rule for f in scan_text(line)] == ["github-pat+base64"]
    assert scan_text(f"{line}  # pragma: allowlist secret") == []


def test_staged_scan_reports_a_split_token_when_the_commit_adds_its_second_half(committed_repo: Path, victor) -> None:
    app = committed_repo / "app.py"
    app.write_text(f'TOKEN = ("{TOKEN[:11]}"\n         "")\n')
    git(committed_repo, "add", "app.py")
    git(committed_repo, "commit", "-qm", "half a token", "--no-verify")
    app.write_text(f'TOKEN = ("{TOKEN[:11]}"\n         "{TOKEN[11:]}")\n')
    git(committed_repo, "add", "app.py")
    result = victor("scan-secrets", "--staged")
    assert (result.returncode, result.stdout) == (1, "app.py:1 github-pat+joined ghp_…\n"), result.stderr
    assert TOKEN not in result.stdout + result.stderr


def test_rejoining_stays_linear_on_a_megabyte_line_of_adjacent_literals() -> None:
    line = " + ".join(['"ab"'] * 250_000)  # 1.7 MB on one line: every literal is a junction
    started = time.process_time()
    assert scan_text(line, path="bundle.js") == []
    assert time.process_time() - started < 8  # about 0.4 s; looking back to the line start each time took 20+
