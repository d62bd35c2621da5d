"""Values shaped like code rather than like a secret, for the context rules (a credential-like name
given a value): format strings and templates, calls and operators, dotted names, parameter lists,
and values on minified or generated lines, where names like `key` or `token` are everywhere."""

from __future__ import annotations

import re

from victor.secrets.entropy import is_name

# Placeholders, each closed: `{0}`, `{}`, `{name}`, `{obj.attr!r:>10}`, `${name}`, `#{name}`, `{{ name }}`,
# `%s`, `%(name)s`, `%-10d`; and a brace left open where the value was cut (`--{name`). A string
# holding one is filled in, not a secret.
_TEMPLATE = re.compile(
    r"[$#]?\{[A-Za-z_][\w.\-]*(?:\[[\w'\"]*\])?(?:![rsa])?(?::[^{}]*)?\}|\{\d*\}|\{\{[^{}]*\}\}|\{[A-Za-z_][\w.]*$"
    r"|%(?:\([\w.\-]+\))?[-#0 +]*\d*(?:\.\d+)?[sdr](?![A-Za-z0-9])"
)
# A complete call `name(…)`, member access on a result, an arrow, a logical or comparison operator.
_OPERATOR = re.compile(r"(?<![\w$])[A-Za-z_$][\w$]*+\([^()]*+\)|\)[.\[]|\][.(]|=>|&&|\|\||===|!==?|\?\.|::|->")
_DOTTED_NAME = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$")
_PLAIN_WORD = re.compile(r"(?:^|\.)(?:[a-z]{3,}|[A-Z][a-z]{2,})(?:\.|$)")
# `Name=value` at the start (a name of words), or `;name=` / `&name=` / `?name=` inside: parameters.
_FIRST_PARAMETER = re.compile(r"^([A-Za-z][\w.\-]*)=(?!=|$)")
_NEXT_PARAMETER = re.compile(r"[;&?][A-Za-z_][\w.\-]*=(?!=|$)")

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_OPENERS.values())

_MINIFIED_LINE = 1000  # characters
_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".css", ".html", ".htm", ".vue", ".svelte")
_MINIFIED_MIN_VALUE = 16


def is_code_shaped(value: str) -> bool:
    """A template or format string, an expression, a dotted name with a plain word in it
    (`exports.X509Extension`, `client.OAuth2Credentials`), or a list of parameters. Code and templates
    nest their brackets; a password typed full of brackets (`m{{h}o)p${e]…`) does not."""
    if (_TEMPLATE.search(value) or _OPERATOR.search(value)) and _nested(value):
        return True
    if _NEXT_PARAMETER.search(value):
        return True
    first = _FIRST_PARAMETER.match(value)
    if first and is_name(first.group(1)):
        return True
    return bool(_DOTTED_NAME.match(value) and _PLAIN_WORD.search(value))


def _nested(value: str) -> bool:
    """Every closing bracket closes the last one opened (some may be left open where a value was cut)."""
    opened: list[str] = []
    for char in value:
        if char in _OPENERS:
            opened.append(_OPENERS[char])
        elif char in _CLOSERS and (not opened or opened.pop() != char):
            return False
    return True


def minified(line: str, path: str | None) -> bool:
    """A line of 1,000+ characters of script, or of code dense with statements: minified or generated
    (one long line of JSON is data, and is judged as any other line)."""
    if len(line) < _MINIFIED_LINE:
        return False
    return (path or "").endswith(_SCRIPT_SUFFIXES) or line.count(";") + line.count("){") >= len(line) // 100


def plausible_when_minified(value: str, quoted: bool) -> bool:
    """On a minified line, a context match counts only for a quoted value of 16 or more characters
    that mixes lower case, upper case and digits, as generated keys do."""
    return (quoted and len(value) >= _MINIFIED_MIN_VALUE and any(c.isupper() for c in value)
            and any(c.isdigit() for c in value) and any(c.islower() for c in value))
