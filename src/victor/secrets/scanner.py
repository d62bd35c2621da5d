"""The scanning engine: a keyword prefilter (Aho-Corasick over the lower-cased text) picks candidate
lines; only the rules whose keywords occur there run their regex; each match then passes the
entropy floor, the placeholder allowlist, the hash-context check and the allow pragmas; a context
(generic) match must also not be shaped like code (shapes.py).

The same rules then read what is hidden from them, one level deep: base64 and hex runs decoded
(encoded.py) and values split across literals or lines rejoined (split.py). Such a finding is placed
at the encoded or split span, with `+base64`, `+hex` or `+joined` after its rule id.

Each rule's regex compiles once per process, the first time its keywords occur."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from victor.secrets.allowlist import (
    allowed_by_pragma,
    echoes_name,
    in_hash_context,
    is_code_like,
    is_credential_name,
    is_placeholder,
)
from victor.secrets.encoded import decode, decoded_runs
from victor.secrets.entropy import has_random_segment, normalised_entropy
from victor.secrets.finding import Finding
from victor.secrets.rule import Rule
from victor.secrets.rules import RULES
from victor.secrets.shapes import is_code_shaped, minified, plausible_when_minified
from victor.secrets.split import rejoined_values

_NOT_A_VALUE_PREFIXES = ("http://", "https://", "/", "./", "../", "~/", "$", "%", "#", "&", "*", "@", "file:", "ENC[")
_NAMES_ITSELF = re.compile(r"(?i)passw(?:or)?d|secret|token|api_?key")
# Files where an unquoted value is a literal, and languages where single quotes make a char, not a string.
_CONFIG_SUFFIXES = (".conf", ".cfg", ".ini", ".env", ".properties", ".yaml", ".yml", ".toml")
_CHAR_QUOTE_SUFFIXES = (".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".m", ".mm", ".java", ".kt", ".scala", ".rs", ".go")


class _Prefilter:
    """All rules' keywords in one Aho-Corasick automaton, and the rules each keyword triggers."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        import ahocorasick_rs

        by_keyword: dict[str, list[Rule]] = {}
        for rule in rules:
            for keyword in rule.keywords:
                by_keyword.setdefault(keyword, []).append(rule)
        self.keywords = list(by_keyword)
        self.rules_for = [tuple(by_keyword[k]) for k in self.keywords]
        self.automaton = ahocorasick_rs.AhoCorasick(self.keywords)
        self.order = {rule: index for index, rule in enumerate(rules)}

    def candidates(self, text: str) -> dict[Rule, dict[int, int]]:
        """Each triggered rule, with the lines that hold its keywords: line start → first keyword offset."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two; keep offsets aligned
            lowered = text.encode("ascii", "replace").decode("ascii").lower()
        found: dict[Rule, dict[int, int]] = {}
        for index, start, _end in self.automaton.find_matches_as_indexes(lowered, overlapping=True):
            line_start = text.rfind("\n", 0, start) + 1
            for rule in self.rules_for[index]:
                lines = found.setdefault(rule, {})
                lines[line_start] = min(start, lines.get(line_start, start))
        return found


@cache
def _provider_owned() -> re.Pattern[str]:
    """How provider values begin (each rule's `owns`), in one regex anchored at the value's start."""
    return re.compile("|".join(f"(?:{rule.owns})" for rule in RULES if rule.owns) or r"(?!)")


@cache
def _prefilter() -> _Prefilter:
    return _Prefilter(RULES)


def scan_text(text: str, *, path: str | None = None) -> list[Finding]:
    """Every secret in `text`, in order, as Findings with character spans and 1-based lines: what the
    rules match as written, and what is hidden from them (base64 or hex encoded, split across literals
    or lines), placed at the encoded or split span with a rule id saying how (`github-pat+base64`)."""
    if not text:
        return []
    plain = _scan_plain(text, path)
    hidden = list(_hidden(text, path))
    return _merged(text, plain, hidden) if hidden else plain


def _scan_plain(text: str, path: str | None) -> list[Finding]:
    prefilter = _prefilter()
    matches: dict[tuple[int, int], tuple[Rule, str]] = {}
    for rule, lines in sorted(prefilter.candidates(text).items(), key=lambda item: prefilter.order[item[0]]):
        for span, value in _rule_matches(rule, text, lines, path):
            matches.setdefault(span, (rule, value))
    return _findings(text, matches, path)


def _hidden(text: str, path: str | None) -> Iterator[Finding]:
    """Findings in the decoded runs and the rejoined values of `text`, one level deep."""
    for run in decoded_runs(text):
        for finding in _scan_plain(run.text, path):
            yield _placed(finding, text, (run.start, run.end), "+" + run.scheme)
    for value in rejoined_values(text):
        found = [((f.start, f.end), f, "+joined") for f in _scan_plain(value.text, path)]
        found += [((run.start, run.end), f, "+joined+" + run.scheme)
                  for run in decoded_runs(value.text) for f in _scan_plain(run.text, path)]
        for (start, end), finding, how in found:
            span = value.origin(start, end)
            if span:
                yield _placed(finding, text, span, how)


def _placed(finding: Finding, text: str, span: tuple[int, int], how: str) -> Finding:
    line = text.count("\n", 0, span[0]) + 1
    return Finding(finding.rule + how, finding.kind, span[0], span[1], line, finding.secret, finding.path)


def _merged(text: str, plain: list[Finding], hidden: list[Finding]) -> list[Finding]:
    """The plain findings and the hidden ones, one finding per span. A hidden finding takes the
    place of the plain findings inside its span when they are guesses from context or the same
    format found in part (a generic match on a base64 run that decodes to a GitHub token; the first
    half of a split password); any other overlap keeps the plain finding. A hidden finding whose
    lines carry an allow pragma is dropped."""
    kept = list(plain)
    for finding in sorted(hidden, key=lambda f: (f.start, -f.end)):
        overlapping = [f for f in kept if f.start < finding.end and finding.start < f.end]
        if any(not _replaceable(f, finding) for f in overlapping) or _allowed_here(text, finding):
            continue
        kept = [f for f in kept if f not in overlapping] + [finding]
    return sorted(kept, key=lambda f: (f.start, -f.end))


def _replaceable(plain: Finding, hidden: Finding) -> bool:
    inside = hidden.start <= plain.start and plain.end <= hidden.end
    return inside and (plain.rule in _generic_ids() or hidden.rule.startswith(plain.rule + "+"))


@cache
def _generic_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in RULES if rule.generic)


def _allowed_here(text: str, finding: Finding) -> bool:
    first = text.rfind("\n", 0, finding.start) + 1
    previous = text[text.rfind("\n", 0, max(first - 1, 0)) + 1 : max(first - 1, 0)]
    last = text.find("\n", finding.end)
    return allowed_by_pragma(text[first : len(text) if last < 0 else last], previous)


def _rule_matches(rule: Rule, text: str, lines: dict[int, int],
                  path: str | None) -> Iterator[tuple[tuple[int, int], str]]:
    regex = rule.regex
    for line_start, keyword_start in sorted(lines.items()):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        stop = len(text) if rule.multiline else line_end
        start = line_start if rule.lead is None else max(line_start, keyword_start - rule.lead)
        for match in regex.finditer(text, start, stop):
            group = "s" if match.group("s") is not None else "s2"
            value = match.group(group)
            if _accepted(rule, match, value, text, line_start, line_end, path):
                yield match.span(group), value
            if rule.multiline:
                break


def _accepted(rule: Rule, match: re.Match[str], value: str, text: str, line_start: int, line_end: int,
              path: str | None) -> bool:
    if is_placeholder(value) or (rule.entropy and normalised_entropy(value) < rule.entropy):
        return False
    if rule.check and not rule.check(value):
        return False
    line = text[line_start:line_end]
    if rule.generic and not _plausible_generic(match, value, line, path):
        return False
    previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
    return not allowed_by_pragma(line, previous)


def _plausible_generic(match: re.Match[str], value: str, line: str, path: str | None) -> bool:
    """A context match must name a credential (not a test fixture, not its own label) and give it a
    random-looking literal: not code, not a path, not a hash in a checksum context, not a bare word in a
    programming language, not a provider's format (that provider's rule decides those)."""
    name = match.group("name") if "name" in match.re.groupindex else None
    if name is not None:
        head = _name_head(match.string, match.start("name"))
        if match.string.endswith("::", 0, match.start("name") - len(head)):
            return False  # `AWS::KMS::Key`, `Crypto::Key`: a qualified type, not a variable
        name = head + name
        if not is_credential_name(name) or echoes_name(value, name):
            return False
    if value.startswith(_NOT_A_VALUE_PREFIXES) or is_code_like(value) or is_code_shaped(value):
        return False
    quoted = "s2" not in match.re.groupindex or match.group("s2") is None
    if minified(line, path) and not plausible_when_minified(value, quoted):
        return False
    if not has_random_segment(value) or _decodes_to_stand_in(value):
        return False
    if _provider_owned().match(value):  # a provider's format: its own rule has judged it
        return False
    if _NAMES_ITSELF.search(value):  # password='password1', token: 'my-token-123': a stand-in
        return False
    if not quoted:  # unquoted: a literal only in config files
        if any(c in value for c in "(){}[]<>$") and not (path or "").endswith(_CONFIG_SUFFIXES):
            return False
    elif match.groupdict().get("q") == "'" and (path or "").endswith(_CHAR_QUOTE_SUFFIXES):  # 'x' is a char literal there
        return False
    return not in_hash_context(line.replace(value, " "), path)  # `md5` inside the value itself is chance


def _decodes_to_stand_in(value: str) -> bool:
    """Base64 of a placeholder, or of `user:password` whose password is a stand-in (`dXNlcjpwYXNz`)."""
    decoded = decode(value, shortest=12)
    if decoded is None:
        return False
    password = decoded[0].partition(":")[2] if ":" in decoded[0] else decoded[0]
    return is_placeholder(decoded[0]) or bool(":" in decoded[0] and (
        not password or _NAMES_ITSELF.search(password) or is_placeholder(password)))


def _name_head(text: str, end: int) -> str:
    """The identifier characters just before `end`: `db` in `dbPassword` when the match starts at `Password`."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    return text[start:end]


def _findings(text: str, matches: dict[tuple[int, int], tuple[Rule, str]], path: str | None) -> list[Finding]:
    """Findings in text order; a match inside another one (a key inside a URL) is dropped."""
    findings: list[Finding] = []
    last_end = -1
    for (start, end), (rule, value) in sorted(matches.items(), key=lambda item: (item[0][0], -item[0][1])):
        if start < last_end:
            continue
        line = text.count("\n", 0, start) + 1
        findings.append(Finding(rule.id, rule.kind, start, end, line, value, path))
        last_end = end
    return findings
