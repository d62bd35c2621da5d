"""A run_shell command line as the approval rules see it: parsed by a real shell parser (bashlex) into
simple commands, each word decoded by bash's quoting rules and classified.

A word is *literal* when bash would pass it to the command unchanged after quote removal: no parameter,
command, arithmetic or process substitution, no `$'…'`/`$"…"`, no unquoted glob (`* ? [`), brace
(`{a,b}`), tilde (`~`, `x=~`) or `!`. Quotes that only quote literals are fine. Every other word keeps
its literal *head* (the text before its first expansion), which is what a deny rule can still see.
`$'…'` is decoded (for deny rules only), so `$'\\x72m'` is `rm` to them.

`parse(command)` returns None when bashlex cannot parse the line (arithmetic, `[[`, `case`, `time`,
unbalanced quotes…): callers treat that as "cannot be checked".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import bashlex
import bashlex.ast

Node = Any  # a bashlex.ast.node: bashlex has no type information

_PLAIN = re.compile(r"[\w./:=,+@%^#-]", re.UNICODE)  # unquoted characters that mean themselves
_SIMPLE_PARAMETER = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-]|\{[A-Za-z_][A-Za-z0-9_]*\})")
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}  # `$'\xHH'`, `$'\uHHHH'`, `$'\UHHHHHHHH'`
_FD_DUP = re.compile(r"[12]?>&[12]")  # `2>&1`, `>&2`: the only redirections a simple command may have
_ANSI = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
         "\\": "\\", "'": "'", '"': '"', "?": "?"}


@dataclass(frozen=True)
class Word:
    value: str          # after quote removal; when not `known`, its head followed by the raw rest
    known: bool         # the command receives exactly `value` (literal, or decoded from `$'…'`)
    literal: bool       # known, and spelt with plain words and quotes only
    head: str           # the decoded text before the first expansion (all of `value` when known)
    hides_code: bool = False  # `${x@P}`, `${x:-$(…)}`, `$[…]`: code the parser does not look into
    raw: str = ""       # as written in the command line

    @property
    def name(self) -> str:
        """As a command name: the path's last part (`/bin/rm` → `rm`)."""
        return self.value.rsplit("/", 1)[-1]


@dataclass
class SimpleCommand:
    words: list[Word]
    assignments: list[Word] = field(default_factory=list)
    heredocs: list[str] = field(default_factory=list)  # here-document and -string bodies: code to a shell
    plain: bool = True  # no assignments, no redirections but fd duplications


@dataclass
class Script:
    commands: list[SimpleCommand]  # every simple command, also those inside substitutions and compounds
    simple: bool  # a list or pipeline of plain simple commands only: no compound, function or substitution


@functools.lru_cache(maxsize=256)  # the policy reads one command for deny, ask and allow rules in turn
def parse(command: str) -> Script | None:
    if not command.strip() or "\0" in command:
        return None
    try:
        trees = bashlex.parse(command)
        nodes = [node for tree in trees for node in _walk(tree)]
    except Exception:  # noqa: BLE001 - bashlex raises ParsingError, NotImplementedError, RecursionError…
        return None
    commands = [_simple_command(command, node) for node in nodes if node.kind == "command"]
    return Script(commands, all(_is_list(tree) for tree in trees))


def _is_list(node: Node) -> bool:
    if node.kind == "list":
        return all(part.kind in ("command", "pipeline", "operator") and _is_list(part) for part in node.parts)
    if node.kind == "pipeline":
        return all(part.kind in ("command", "pipe") for part in node.parts)
    return node.kind in ("command", "operator", "pipe")


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for name in ("parts", "list", "command", "output"):
        child = getattr(node, name, None)
        for item in child if isinstance(child, list) else [child]:
            if isinstance(item, bashlex.ast.node):
                yield from _walk(item)


def _simple_command(source: str, node: Node) -> SimpleCommand:
    result = SimpleCommand([])
    for part in node.parts:
        text = source[part.pos[0]:part.pos[1]]
        if part.kind == "word":
            result.words.append(_checked(decode(text), part))
        elif part.kind == "assignment":
            result.assignments.append(decode(text))
            result.plain = False
        elif part.kind == "redirect" and not _FD_DUP.fullmatch(text.replace(" ", "")):
            result.plain = False
            if getattr(part, "heredoc", None) is not None:
                result.heredocs.append(part.heredoc.value.rpartition("\n")[0])  # less the delimiter line
            elif part.type == "<<<":  # a here-string
                result.heredocs.append(decode(source[part.output.pos[0]:part.output.pos[1]]).value)
    return result


def _checked(word: Word, node: Node) -> Word:
    """A word bashlex decodes differently, or sees an expansion in, is not literal for allow rules (both
    must agree). Deny rules keep this module's decoding: bashlex's own quote removal has bugs (`a"'"`)."""
    if word.literal and (word.value != node.word or getattr(node, "parts", [])):
        return Word(word.value, word.known, False, word.head, word.hides_code, word.raw)
    return word


def decode(raw: str) -> Word:
    """Quote removal on one word's source text, stopping at the first expansion."""
    word = _decode(raw)
    return Word(word.value, word.known, word.literal, word.head, word.hides_code, raw)


def _decode(raw: str) -> Word:
    if raw == "{}":
        return Word("{}", True, True, "{}")  # find's placeholder: bash leaves a bare `{}` alone
    out: list[str] = []
    i = 0
    literal = True
    while i < len(raw):
        char = raw[i]
        if char == "'":
            end = raw.find("'", i + 1)
            if end < 0:
                return _expanded(out, raw, i)
            out.append(raw[i + 1:end])
            i = end + 1
        elif char == "\\":
            out.append(raw[i + 1:i + 2].replace("\n", ""))
            i += 2
        elif raw.startswith("$'", i):
            text, i = _ansi_c(raw, i + 2)
            out.append(text)
            literal = False
        elif char == '"' or raw.startswith('$"', i):
            literal = literal and char == '"'
            text, i, expanded = _double_quoted(raw, i + (1 if char == '"' else 2))
            out.append(text)
            if expanded:
                return _expanded(out, raw, i)
        elif char == "~" and (i == 0 or raw[i - 1] in "=:"):
            return _expanded(out, raw, i)  # tilde expansion (`HEAD~1` is plain)
        elif char != "~" and not _PLAIN.fullmatch(char):
            return _expanded(out, raw, i)
        else:
            out.append(char)
            i += 1
    value = "".join(out)
    return Word(value, True, literal, value)


def _expanded(out: list[str], raw: str, at: int) -> Word:
    head = "".join(out)
    rest = raw[at:]
    plain_dollars = _SIMPLE_PARAMETER.sub("", rest)  # what is left of `${…}` after `$x`, `${x}` are gone
    return Word(head + rest, False, False, head, "${" in plain_dollars or "$[" in rest or "$((" in rest)


def _double_quoted(raw: str, i: int) -> tuple[str, int, bool]:
    """The text of a "…" body from `i`; stops (expanded=True) at an unescaped `$` or backtick."""
    out: list[str] = []
    while i < len(raw) and raw[i] != '"':
        if raw[i] == "\\" and raw[i + 1:i + 2] in ('$', '`', '"', "\\", "\n"):
            out.append(raw[i + 1].replace("\n", ""))
            i += 2
        elif raw[i] in "$`":
            return "".join(out), i, True
        else:
            out.append(raw[i])
            i += 1
    return "".join(out), i + 1, False


def _ansi_c(raw: str, i: int) -> tuple[str, int]:
    """Decode a $'…' body from `i` as bash does (\\n, \\xHH, \\NNN, \\uHHHH, \\cX …)."""
    out: list[str] = []
    while i < len(raw) and raw[i] != "'":
        if raw[i] != "\\" or i + 1 >= len(raw):
            out.append(raw[i])
            i += 1
            continue
        kind = raw[i + 1]
        if kind in _ANSI:
            out.append(_ANSI[kind])
            i += 2
        elif kind in "xuU":
            digits = re.match(rf"[0-9A-Fa-f]{{1,{_HEX_DIGITS[kind]}}}", raw[i + 2:])
            code = int(digits.group(), 16) if digits else -1
            out.append(chr(code) if 0 <= code <= 0x10FFFF else "\\" + kind)
            i += 2 + (len(digits.group()) if digits else 0)
        elif kind in "01234567":
            octal = re.match(r"[0-7]{1,3}", raw[i + 1:])
            assert octal is not None  # raw[i + 1] is an octal digit
            out.append(chr(int(octal.group(), 8) & 0xFF))
            i += 1 + len(octal.group())
        elif kind == "c" and i + 2 < len(raw):
            out.append(chr(ord(raw[i + 2]) & 0x1F))
            i += 3
        else:
            out.append("\\" + kind)
            i += 2
    return "".join(out), i + 1
