"""Options that make a "read-only" command write a file or run another program, for the commands
known to have them (`git log --output=F`, `sort -o F`, `find -delete`, `sed -i`, `sed 's/a/b/w F'`,
`awk '{print > "F"}'`, `rg --pre=CMD`…). An allow rule approves a command only when none of these
appears in the words after the rule's own words; a command not in the table gets the prefix check only.

The check over-approximates on purpose: a short option letter counts anywhere in a `-abc` cluster, a
long option counts in any abbreviation (getopt_long and git accept unambiguous prefixes), and a sed or
awk program counts when it merely might write. A false match only means a human is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Writer:
    short: str = ""                 # option letters that write or run something
    long: tuple[str, ...] = ()      # long options (`--name`, `--name=value`, or any prefix of name)
    words: tuple[str, ...] = ()     # whole words (`-delete`), or word prefixes ending in `=` (`of=`)
    bare_cluster: bool = False      # tar: a first argument without a dash is an option cluster too
    max_operands: int | None = None  # uniq IN OUT: more operands than this means one is written
    program: Callable[[list[str], int], str | None] | None = None  # sed/awk: the program text


def writing_option(argv: list[str], approved: int) -> str | None:
    """Why `argv` may write or run something beyond what its rule says (None: it doesn't). Words before
    index `approved` are the rule's own words (an allow rule may name `sed -i` on purpose)."""
    name = argv[0].rsplit("/", 1)[-1]
    if name == "git":
        return _git(argv, approved)
    writer = WRITERS.get(name)
    return _check(writer, argv, 1, approved) if writer else None


def _check(writer: Writer, argv: list[str], start: int, approved: int) -> str | None:
    operands = 0
    for index in range(start, len(argv)):
        word = argv[index]
        if word.startswith("--") and len(word) > 2:
            given = word[2:].partition("=")[0]
            if index >= approved and any(option.startswith(given) for option in writer.long):
                return f"'{word}' writes a file or runs a program"
        elif word.startswith("-") and len(word) > 1 or writer.bare_cluster and index == start:
            if index >= approved and (word in writer.words or set(word.lstrip("-")) & set(writer.short)):
                return f"'{word}' writes a file or runs a program"
        else:
            operands += 1
        if index >= approved and any(word.startswith(w) for w in writer.words if w.endswith("=")):
            return f"'{word}' writes a file"
    if writer.max_operands is not None and operands > writer.max_operands and len(argv) > approved:
        return f"'{argv[0]}' with {operands} operands writes the last one"
    return writer.program(argv[start:], max(approved - start, 0)) if writer.program else None


def _git(argv: list[str], approved: int) -> str | None:
    index = 1
    while index < len(argv) and argv[index].startswith("-"):
        option = argv[index].partition("=")[0]
        if option in _GIT_CONFIGURING and index >= approved:
            return f"'{argv[index]}' makes git run commands from another configuration"
        index += 2 if option in _GIT_GLOBAL_WITH_VALUE and "=" not in argv[index] else 1
    if index >= len(argv):
        return None
    sub = Writer(_GIT_SHORT.get(argv[index], ""), _GIT_LONG)
    return _check(sub, argv, index + 1, approved)


def _sed_program(args: list[str], approved: int) -> str | None:
    scripts: list[tuple[int, str]] = []
    index, positional = 0, []
    while index < len(args):
        word = args[index]
        name = word[2:].partition("=")[0] if word.startswith("--") else ""
        if word == "--":
            positional += list(range(index + 1, len(args)))
            break
        if name and "expression".startswith(name):
            value, index = _option_value(args, index)
            scripts.append((index, value))
        elif name and "line-length".startswith(name) and "=" not in word:
            index += 1
        elif word.startswith("-") and not name and len(word) > 1:
            cluster = word[1:]
            if "e" in cluster:
                attached = cluster[cluster.index("e") + 1:]
                if not attached:
                    index += 1
                scripts.append((index, attached or (args[index] if index < len(args) else "")))
            elif cluster.endswith("l"):
                index += 1
        elif not word.startswith("-"):
            positional.append(index)
        index += 1
    if not scripts and positional:
        scripts.append((positional[0], args[positional[0]]))
    for at, script in scripts:
        if at >= approved and _SED_WRITES.search(_SED_BODIES.sub(lambda m: m.group(1) or "", script)):
            return f"the sed program '{script}' may write a file or run a command (w, W, e)"
    return None


def _awk_program(args: list[str], approved: int) -> str | None:
    """Any word may be (or hold) the program; only a field separator (`-F'|'`) is exempt."""
    separator = False
    for index, word in enumerate(args):
        skip, separator = separator, not separator and word in ("-F", "--field-separator")
        if skip or word.startswith(("-F", "--field-separator=")) or index < approved:
            continue
        if _AWK_WRITES.search(word):
            return f"the awk program '{word}' may write a file or run a command"
    return None


def _option_value(args: list[str], index: int) -> tuple[str, int]:
    """The value of the option at `index` (`--x=v` or `--x v`) and the index it was read from."""
    if "=" in args[index]:
        return args[index].partition("=")[2], index
    return (args[index + 1], index + 1) if index + 1 < len(args) else ("", index)


_SED_BODIES = re.compile(r"([sy])(.)(?:\\.|(?!\2)[^\n])*\2(?:\\.|(?!\2)[^\n])*\2|/(?:\\.|[^/\n])*/|\\(.)(?:\\.|(?!\3)[^\n])*\3")
_SED_WRITES = re.compile(r"[wWe]")
_AWK_WRITES = re.compile(r"[>|]|system|@load|@include")
_GIT_GLOBAL_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--super-prefix",
                          "--attr-source"}
_GIT_CONFIGURING = {"-c", "--config-env", "--exec-path", "--git-dir", "--work-tree"}
_GIT_LONG = ("output", "output-directory", "open-files-in-pager", "upload-pack", "receive-pack", "exec")
_GIT_SHORT = {"format-patch": "o", "archive": "o", "grep": "O"}
_AWK = Writer("fdilopDE", ("file", "dump-variables", "include", "load", "profile", "pretty-print", "debug", "exec"),
              program=_awk_program)
WRITERS: dict[str, Writer] = {
    "sort": Writer("o", ("output", "compress-program")),
    "sed": Writer("if", ("in-place", "file"), program=_sed_program),
    "awk": _AWK, "gawk": _AWK, "mawk": _AWK, "nawk": _AWK,
    "find": Writer(words=("-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls")),
    "fd": Writer("xX", ("exec", "exec-batch")),
    "rg": Writer(long=("pre",)),
    "dd": Writer(words=("of=",)),
    "tar": Writer("cxruAIF", ("create", "extract", "get", "append", "update", "catenate", "concatenate", "delete",
                              "to-command", "checkpoint-action", "use-compress-program", "info-script",
                              "new-volume-script", "rsh-command", "rmt-command"), bare_cluster=True),
    "curl": Writer("oODcK", ("output", "output-dir", "remote-name", "remote-name-all", "dump-header", "cookie-jar",
                             "trace", "trace-ascii", "libcurl", "config", "stderr", "etag-save", "hsts", "alt-svc")),
    "wget": Writer("oOaP", ("output-document", "output-file", "append-output", "directory-prefix")),
    "uniq": Writer(max_operands=1),
    "xxd": Writer(max_operands=1),
    "tree": Writer("o"),
    "less": Writer("oO", ("log-file", "LOG-FILE")),
    "man": Writer("PH", ("pager", "html")),
    "iconv": Writer("o", ("output",)),
    "sdiff": Writer("o", ("output",)),
    "file": Writer("C", ("compile",)),
    "ruff": Writer("o", ("fix", "unsafe-fixes", "add-noqa", "output-file")),
    "eslint": Writer("o", ("fix", "output-file")),
    "prettier": Writer("w", ("write",)),
    "gofmt": Writer("w"),
    "clang-format": Writer("i"),
    "yq": Writer("i", ("inplace",)),
}
