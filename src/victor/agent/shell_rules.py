"""run_shell approval rules, matched on the parsed command (shell_words), never on its text.

Allow: a rule approves only a command line that is a list or pipeline of simple commands of literal
words (no expansion, substitution, glob, redirection but `2>&1`, assignment prefix, subshell, function
or control flow), each starting with the rule's words and using no option that writes a file or runs a
program (shell_writes). Anything else is not allowed by rules: the mode decides (ask, in ask mode).

Deny (and ask) rules are advice that errs toward refusing. A rule matches a simple command anywhere in
the line, also inside `$(…)`, `bash -c '…'`, `eval`, quoted strings and here-documents, when some word
names the rule's command (`/bin/rm`, `'rm'`, `r\\m`, `$'\\x72m'` are all `rm`; so wrappers like `sudo`,
`env`, `xargs`, `timeout` need no list), the words after it hold all of the rule's options in any
spelling (`-rf` = `-fr` = `-r -f` = `-R --force`) and the rule's other words in order (for git, the
first is the subcommand, after git's global options: `git -C . push`). A word that is not literal may
stand for anything. When a line cannot be checked (it does not parse, its command name is not
literal, it hides code in `${x@P}`, or a shell reads code from a file or stdin), the verdict is
"unknown": the policy then asks.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Literal

from victor.agent.shell_words import SimpleCommand, Word, decode, parse
from victor.agent.shell_writes import writing_option

Match = Literal["match", "unknown", "none"]
_SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox", "fish"}
_OPEN_ENDED = {"xargs", "parallel"}  # they append words read from stdin to the command they run
_WRAPPERS = {"sudo", "doas", "env", "nice", "nohup", "timeout", "xargs", "parallel", "command", "exec", "builtin",
             "stdbuf", "setsid", "ionice", "time", "watch", "su", "runuser", "chroot", "flock", "unbuffer"}
_BODY = re.compile(r"[^\w./:=,+@%^#-]")  # a word with any shell syntax in it may be a command line
_GIT_GLOBAL_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--super-prefix",
                          "--attr-source"}
_ALIASES = {  # command → spelling → canonical option
    "rm": {"R": "r", "recursive": "r", "force": "f", "interactive": "i", "dir": "d"},
    "cp": {"R": "r", "recursive": "r", "force": "f"},
    "mv": {"force": "f"},
    "chmod": {"recursive": "R"}, "chown": {"recursive": "R"}, "chgrp": {"recursive": "R"},
    "git": {"force": "f", "delete": "d"},
    "curl": {"request": "X", "data": "d", "upload-file": "T", "form": "F", "output": "o"},
}
_DEPTH = 4
_GIT_ALIAS = re.compile(r"(-c)?alias\.", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    name: str
    options: frozenset[str]
    operands: tuple[str, ...]

    @classmethod
    def parse(cls, pattern: str) -> Rule | None:
        words = _pattern_words(pattern)
        if not words:
            return None
        name = words[0].rsplit("/", 1)[-1]
        options, operands = _split(name, [Word(w, True, True, w) for w in words[1:]])
        return cls(name, frozenset(options), tuple(operands))


def allowed(command: str, patterns: list[str]) -> tuple[bool, str]:
    """(True, "") when allow rules approve `command`; else (False, why not, for the human)."""
    script = parse(command)
    if script is None:
        return False, "the shell parser cannot read it"
    if not script.simple:
        return False, "it is not a list of simple commands"
    for simple in script.commands:
        if not simple.plain:
            return False, "it has a redirection, a here-document or a variable assignment"
        unknown = next((w for w in simple.words if not w.literal), None)
        if unknown is not None:
            return False, f"'{unknown.raw}' is not a literal word (expansions, globs and $'…' need a human)"
        argv = [w.value for w in simple.words]
        why = "no allow rule names it"
        for pattern in patterns:
            words = _pattern_words(pattern)
            if words and argv[: len(words)] == words:
                writes = writing_option(argv, len(words))
                if writes is None:
                    break
                why = f"the allow rule '{pattern}' does not cover it: {writes}"
        else:
            return False, why
    return True, ""


def matches(command: str, patterns: list[str], depth: int = 0) -> tuple[Match, str]:
    """Whether a deny/ask rule matches any part of `command`: ("match", pattern), ("unknown", why), ("none", "")."""
    rules = [(pattern, rule) for pattern in patterns if (rule := Rule.parse(pattern))]
    if not rules:
        return "none", ""
    script = parse(command)
    if script is None:
        if depth:
            return "none", ""  # a quoted string that is not a command line is just text
        hit = next((p for p, rule in rules if _command_matches(_rough_words(command), rule)), None)
        return ("match", hit) if hit else ("unknown", "the shell parser cannot read it")
    unknown = ""
    for simple in script.commands:
        hit = next((p for p, rule in rules if _command_matches(simple.words, rule)), None)
        if hit:
            return "match", hit
        unknown = unknown or _unknowable(simple)
        runs_code = _shell_at(simple) is not None
        for body in _bodies(simple) if depth < _DEPTH else []:
            found, why = matches(body, patterns, depth + 1)
            if found == "match":
                return found, why
            unknown = unknown or (why if runs_code else "")  # `echo 'bash is fine'` is only text
    return ("unknown", unknown) if unknown else ("none", "")


def _command_matches(words: list[Word], rule: Rule) -> bool:
    for index, word in enumerate(words):
        if not word.known:
            if word.head.rsplit("/", 1)[-1] == rule.name:
                return True  # `curl${IFS}…`: the literal part names the command, the rest is unknowable
            continue
        if word.name != rule.name:
            continue
        rest = words[index + 1:]
        if rule.name == "git" and rule.operands:
            sub = _git_subcommand(rest)
            if sub < len(rest) and rest[sub].known and rest[sub].value != rule.operands[0]:
                continue  # another git subcommand: `git commit -m push` is not `git push`
        if any(w.name in _OPEN_ENDED for w in words[:index]) or any(not w.known for w in rest):
            return True  # xargs adds words, and a word that is not literal may be anything
        options, operands = _split(rule.name, rest)
        if rule.options <= options and _in_order(rule.operands, operands):
            return True
    return False


def _split(name: str, words: list[Word]) -> tuple[set[str], list[str]]:
    """The canonical options and the operands of a command's words (git: less its global options)."""
    aliases = _ALIASES.get(name, {})
    options: set[str] = set()
    operands: list[str] = []
    start = _git_subcommand(words) if name == "git" else 0
    for word in words[start:]:
        value = word.value
        if value.startswith("--") and len(value) > 2:
            given = value[2:].partition("=")[0]  # getopt_long takes any unambiguous prefix: `--rec`
            canonical = {c for spelling, c in aliases.items() if len(spelling) > 1 and spelling.startswith(given)}
            options.update(canonical or {given})
        elif _is_cluster(value):
            options.update(aliases.get(letter, letter) for letter in value[1:])
        else:
            operands.append(value)
    return options, operands


def _git_subcommand(words: list[Word]) -> int:
    index = 0
    while index < len(words) and words[index].value.startswith("-"):
        value = words[index].value
        index += 2 if value in _GIT_GLOBAL_WITH_VALUE else 1
    return index


def _is_cluster(value: str) -> bool:
    """`-abc`: short options, not `--long` or an operand."""
    return value.startswith("-") and not value.startswith("--") and len(value) > 1


def _in_order(wanted: tuple[str, ...], operands: list[str]) -> bool:
    remaining = iter(operands)
    return all(any(operand == word for operand in remaining) for word in wanted)


def _unknowable(simple: SimpleCommand) -> str:
    """Why a deny rule cannot be ruled out for this command ("" when it can)."""
    words = simple.words
    if any(w.hides_code for w in words + simple.assignments):
        return "it hides code in a parameter expansion"
    if words and not words[0].known:
        return f"its command name '{words[0].raw}' is not literal"
    if words and words[0].name in _WRAPPERS and any(not w.known for w in words[1:]):
        return f"'{words[0].value}' runs words that are not literal"
    if any(w.name == "git" for w in words) and any(_GIT_ALIAS.match(w.value) for w in words):
        return "it defines a git alias (`-c alias.x=…`)"
    shell = _shell_at(simple)
    if shell is not None:
        rest = words[shell + 1:]
        if any(not w.known for w in rest):
            return f"'{words[shell].value}' runs words that are not literal"
        if words[shell].name != "eval" and not any(_is_cluster(w.value) and "c" in w.value for w in rest):
            return f"'{words[shell].value}' runs code from a file or its input"
    return ""


def _shell_at(simple: SimpleCommand) -> int | None:
    """Where a shell or eval runs as the command, itself or through wrappers (`sudo bash -c …`)."""
    for index, word in enumerate(simple.words):
        if not word.known or index and simple.words[0].name not in _WRAPPERS:
            return None
        if word.name in _SHELLS | {"eval", "source", "."}:
            return index
    return None


def _bodies(simple: SimpleCommand) -> list[str]:
    """Text inside the command that a shell could run: quoted command lines, eval's words, here-documents."""
    bodies = [w.value for w in simple.words if w.known and _BODY.search(w.value)]
    assigned = [w.value for w in simple.words + simple.assignments if w.known and "=" in w.value]
    bodies += [value.partition("=")[2].removeprefix("!") for value in assigned]  # `alias x='rm -rf'`, git's `!…`
    shell = _shell_at(simple)
    if shell is not None and simple.words[shell].name == "eval":
        bodies.append(" ".join(w.value for w in simple.words[shell + 1:]))
    return bodies + simple.heredocs


def _rough_words(command: str) -> list[Word]:
    """Words of a line the parser refused, split on blanks and operators, each decoded on its own."""
    return [decode(token) for token in re.split(r"[\s;&|()<>]+", command) if token]


def _pattern_words(pattern: str) -> list[str]:
    try:
        return shlex.split(pattern)
    except ValueError:
        return pattern.split()
