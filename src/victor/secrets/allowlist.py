"""What is not a secret even when a rule matches: placeholders, pragmas that allow a line, and hash
contexts (checksums, digests, lock files) where long hex strings are expected."""

from __future__ import annotations

import re
from itertools import pairwise

# A value that is a template or a documentation stand-in, whole.
_PLACEHOLDER_VALUE = re.compile(
    r"""^(?:\$\{[^}]*\}|\$\(?[A-Za-z_][A-Za-z0-9_]*\)?|<[^<>]*>|\{\{.*\}\}|\{[A-Za-z_][\w.]*\}|%\(?\w*\)?s|%[A-Z_]+%"""
    r"""|@[A-Za-z_]+@|__\w+__|\*+|\.+|-+|null|none|nil|undefined|true|false|string|str|bytes|bool|int|password)$""",
    re.IGNORECASE,
)
# A value containing one of these words is a stand-in.
_PLACEHOLDER_WORD = re.compile(
    r"example|xxxx|your[_\-. ]?(?:api[_\-. ]?)?(?:key|token|secret|password|pass)|changeme|change[_\-]me|placeholder"
    r"|replace[_\-]?me|insert[_\-]|redacted|dummy|sample|_here|here_|todo|fixme|\*{4}|\.\.+$|…|0{8}|notreal|not[_\-]a[_\-]real|fake",
    re.IGNORECASE,
)
# A run of different digits typed over and over (`123123123123`, `1234-1234-1234-`): 12+ characters.
_REPEATED_DIGITS = re.compile(r"(\d{2,6}[\-_.:]?)\1{2,}")
_TOKEN_PREFIX = re.compile(r"^[A-Za-z0-9]{2,10}[_\-]")
_CODE_LIKE = re.compile(
    r"^(?:[A-Za-z_$][A-Za-z_$]*\d{0,2}(?:\.[A-Za-z_$][A-Za-z_$]*\d{0,2})+|[a-z]+(?:_[a-z]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z]+(?:[A-Z][a-z]+)+"
    r"|[\w.$]+\(.*\)|[\w.$]+\[.*\])$"
)
# A variable's name says it holds a credential when a credential word ends one of its words…
_CREDENTIAL_WORD = re.compile(
    r"(?i:api[_.\-]?key|secrete?|token|passw(?:or)?d|passphrase|pass|pwd|auth|credential|cred|key)(?:e?s)?(?![a-z])"
)
# …and it does not name something about the credential rather than the credential itself.
_METADATA_NAME = re.compile(
    r"(?i)(?:public|(?<![a-z])pub(?![a-z])|csrf|xsrf|(?:^|[_.\-])(?:id|ids|name|names|type|url|uri|path|file|dir|version|format|len|length|size"
    r"|count|field|header|prefix|suffix|chars|column|label|mode|alg|algorithm|provider|class|kind|store|vault|policy|ref|var"
    r"|variable|pattern|regex|template|endpoint|host|port|user|username|email|expiry|expires|timeout|location|region|hint"
    r"|index|num|number|st)$|(?<=[a-z])(?:Id|Ids|Name|Type|Url|Path|File|Version|Format|Length|Size|Field|Header|Variable|Store|Vault)$)"
)
# A name that says its value is a test fixture meant not to match, or a stand-in.
_FIXTURE_WORDS = "fake|dummy|mock|bogus|wrong|bad"
_FIXTURE_NAME = re.compile(
    r"(?i:non[_\-]?matching|not[_\-]?matching|invalid)"
    rf"|(?<![a-z])(?:{_FIXTURE_WORDS}|{_FIXTURE_WORDS.title()})(?![a-z])|(?<![A-Z])(?:{_FIXTURE_WORDS.upper()})(?![A-Z])"
)
_HASH_CONTEXT = re.compile(r"sha\d*|md5|digest|integrity|checksum|hash|fingerprint|nonce|uuid|commit|revision", re.IGNORECASE)
_LOCK_FILES = (".lock", "lock.json", "lock.yaml", "go.sum", ".sum", "shrinkwrap.json", ".svg", ".min.js", ".map")

ALLOW_LINE = ("pragma: allowlist secret", "gitleaks:allow")
ALLOW_NEXT_LINE = "pragma: allowlist nextline secret"


def is_placeholder(value: str) -> bool:
    """True for templates, stand-ins and values with too little variety to be random."""
    if _PLACEHOLDER_VALUE.match(value) or _PLACEHOLDER_WORD.search(value) or _has_alphabet_run(value):
        return True
    if _has_typed_repeat(value):
        return True
    body = _TOKEN_PREFIX.sub("", value, count=1)
    return any(len(set(part)) * 5 < min(len(part), 30) for part in (value, body))


def _has_typed_repeat(value: str) -> bool:
    """`123123123123`, `1234-1234-1234-`: a short group of digits typed three or more times."""
    return any(len(run.group()) >= 12 and len(set(run.group(1))) > 2 for run in _REPEATED_DIGITS.finditer(value))


def _has_alphabet_run(value: str, length: int = 10) -> bool:
    """`abcdefghij`, `0123456789`: a run of consecutive characters, as typed by a person."""
    run = 1
    for before, after in pairwise(value):
        run = run + 1 if ord(after) - ord(before) == 1 and after.isalnum() else 1
        if run >= length:
            return True
    return False


def is_code_like(value: str) -> bool:
    """A dotted name, or an identifier of plain words: a reference to a secret, not the secret."""
    return bool(_CODE_LIKE.match(value))


def is_credential_name(name: str) -> bool:
    """`api_key`, `dbPassword`, `GITHUB_TOKEN`: yes. `keyword`, `public_key`, `credentialsId`, and test
    fixtures such as `nonMatchingToken` or `fakePassword`: no."""
    return bool(_CREDENTIAL_WORD.search(name)) and not _METADATA_NAME.search(name) and not _FIXTURE_NAME.search(name)


def echoes_name(value: str, name: str) -> bool:
    """`KEY_MESHING = "key-meshing"`: a constant whose value spells its own name is a label, not a secret."""
    value_letters, name_letters = _letters(value), _letters(name)
    shorter, longer = sorted((value_letters, name_letters), key=len)
    return len(shorter) >= 6 and shorter in longer


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def in_hash_context(line: str, path: str | None) -> bool:
    """Checksums, digests and lock files hold random-looking strings that are not secrets."""
    if path and path.endswith(_LOCK_FILES):
        return True
    return bool(_HASH_CONTEXT.search(line))


def allowed_by_pragma(line: str, previous_line: str) -> bool:
    """`pragma: allowlist secret` or `gitleaks:allow` on the line, or the nextline pragma above it."""
    return any(marker in line for marker in ALLOW_LINE) or ALLOW_NEXT_LINE in previous_line
