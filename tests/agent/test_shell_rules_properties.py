"""Property tests (hypothesis) for the shell-rule matcher, thousands of generated commands each:
(a) a command with any expansion, substitution, redirection, assignment, compound or known writing
option is never allowed; (b) every generated spelling of a denied command is denied; (c) plain literal
commands under an allow rule are allowed, so the matcher does not simply ask for everything."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from victor.agent.policy import ApprovalPolicy
from victor.agent.shell_rules import allowed, matches
from victor.config.schema import ApprovalConfig
from victor.tools.registry import get_tool
from victor.tools.workspace import Workspace

pytestmark = pytest.mark.slow  # thousands of generated cases

MANY = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ALLOW = ["ls", "cat", "grep", "pytest", "git status", "git log", "git diff", "sort", "sed", "find", "awk", "rg", "tar"]
DENY = ["rm -rf", "git push", "curl"]

plain = st.text("abcdefxyz0123456789._/,:+@%-", min_size=1, max_size=8).filter(lambda w: not w.startswith("-"))
quoted_single = st.text("abc xyz$`\\\"*?~{};|&<>()#!=", max_size=8).map(lambda t: f"'{t}'")
quoted_double = st.text("abc xyz*?~{};|&<>()#'=", max_size=8).map(lambda t: f'"{t}"')
literal_word = st.one_of(plain, quoted_single, quoted_double, plain.filter(lambda w: len(w) > 1).map(lambda w: w[:1] + "\\" + w[1:]))
operator = st.sampled_from([" && ", " || ", "; ", " | ", "\n", " & ", " |& "])


def verdict(command: str, mode: str = "ask", **rule: list[str]) -> str:
    config = ApprovalConfig(mode=mode, tools={"run_shell": rule})
    policy = ApprovalPolicy(config, Workspace(Path("/nonexistent-workspace"), config.deny_paths))
    return policy.decide(get_tool("run_shell"), {"command": command}).verdict


literal_words = st.tuples(st.sampled_from(["ls", "cat", "grep", "pytest"]),
                          st.lists(st.one_of(literal_word, st.sampled_from(["-l", "-a", "-n", "-q", "-v"])), max_size=4)
                          ).map(lambda pair: [pair[0], *pair[1]])
literal_command = st.tuples(literal_words, st.sampled_from(["", " 2>&1", " >&2"])).map(lambda p: " ".join(p[0]) + p[1])
literal_line = st.lists(st.tuples(operator, literal_command), min_size=1, max_size=3).map(
    lambda parts: "".join(op + command for op, command in parts)[len(parts[0][0]):])


EXPANSIONS = ["$X", "${X}", "${x@P}", "${x:=v}", "${x:-$(id)}", "$(id)", "`id`", "$'\\x41'", '$"x"', "$((1+2))",
              "$[1+2]", "<(id)", ">(id)", "*", "?", "[ab]", "{a,b}", "{1..3}", "~", "~root", "$1", "$@", "$$", "!x"]
REDIRECTIONS = ["> f", ">> f", "2> f", "&> f", ">| f", "1>f", "3> f", "< f", "<<< x", ">&f", "<> f", "&>> f"]
WRITING = [("git log", "--output=F"), ("git log", "--output F"), ("git log", "--out=F"), ("git diff", "--output=F"),
           ("git log", "--outp F"), ("git", "-c core.pager=id log"), ("sort", "-o F"), ("sort", "-uo F"),
           ("sort", "--output=F"), ("sed", "-i"), ("sed", "-ni"), ("sed", "--in-place"), ("sed", "'w F'"),
           ("sed", "-e 's/a/b/w F'"), ("find", "-delete"), ("find", "-exec id ;"), ("find", "-fprint F"),
           ("awk", "'{print > \"F\"}'"), ("awk", "'BEGIN{system(\"id\")}'"), ("rg", "--pre=id"), ("tar", "-cf F ."),
           ("git", "format-patch -o F"), ("git", "archive --output=F HEAD"), ("git", "grep -Oid x")]


KINDS = st.sampled_from(["expansion", "quoted expansion", "redirection", "assignment", "compound", "writing"])
COMPOUNDS = st.sampled_from(["( {} )", "{{ {}; }}", "if true; then {}; fi", "f() {{ {}; }}; f",
                             "while false; do {}; done", "! {}"])
few_plain = st.lists(plain, max_size=2)
others = st.lists(literal_command, max_size=2)


def spliced(draw: st.DrawFn, command: str) -> str:
    """`command` somewhere in a list or pipeline of literal commands."""
    rest = draw(others)
    at = draw(st.integers(0, len(rest)))
    return draw(operator).join([*rest[:at], command, *rest[at:]])


@st.composite
def hazardous_line(draw: st.DrawFn) -> str:
    words = draw(literal_words)
    kind = draw(KINDS)
    if kind == "writing":
        rule, option = draw(st.sampled_from(WRITING))
        words = [*rule.split(), *draw(few_plain)]
        first = option == "'w F'"  # a sed program without -e is the first operand
        words.insert(len(rule.split()) if first else draw(st.integers(len(rule.split()), len(words))), option)
        hazard = " ".join(words)
    elif kind in ("expansion", "quoted expansion"):
        at = draw(st.integers(1, len(words)))
        expansion = draw(st.sampled_from(EXPANSIONS))
        glued = draw(st.booleans()) and not expansion.startswith("~")  # `a~` is no tilde expansion
        piece = draw(plain) + expansion if glued else expansion
        if kind == "quoted expansion" and expansion.startswith("$") and not expansion.startswith(("$'", '$"')):
            piece = f'"{piece}"'
        hazard = " ".join([*words[:at], piece, *words[at:]])
    elif kind == "redirection":
        hazard = f"{' '.join(words)} {draw(st.sampled_from(REDIRECTIONS))}"
    elif kind == "assignment":
        hazard = f"X=1 {' '.join(words)}"
    else:
        hazard = draw(COMPOUNDS).format(" ".join(words))
    return spliced(draw, hazard)


@MANY
@given(hazardous_line())
def test_a_hazard_is_never_allowed(command: str) -> None:
    assert not allowed(command, ALLOW)[0]
    assert verdict(command, allow=ALLOW) == "ask"


def command_name(name: str) -> st.SearchStrategy[str]:
    hexed = "$'" + "".join(f"\\x{ord(c):02x}" for c in name) + "'"
    return st.sampled_from([name, f"/bin/{name}", f"/usr/bin/{name}", f"'{name}'", f'"{name}"', f"{name[0]}\\{name[1:]}",
                            f"{name[0]}''{name[1:]}", f'{name[0]}""{name[1:]}', hexed])


RM_FLAGS = st.sampled_from([["-rf"], ["-fr"], ["-r", "-f"], ["-f", "-r"], ["-R", "-f"], ["-Rf"], ["-vrf"],
                            ["--recursive", "--force"], ["--force", "-r"], ["--rec", "--for"], ["-rfv"],
                            ["-r", "--force"], ["-fR"], ["-f", "-v", "-R"]])
rm_rf = st.tuples(command_name("rm"), st.tuples(RM_FLAGS, st.lists(plain, min_size=1, max_size=2)).flatmap(
    lambda p: st.permutations(p[0] + p[1]))).map(lambda p: " ".join([p[0], *p[1]]))
git_push = st.tuples(
    command_name("git"),
    st.lists(st.sampled_from(["-C .", "-c a=b", "--git-dir=.git", "--no-pager", "--work-tree .", "--git-dir .git",
                              "-P", "--bare", "--no-optional-locks"]), max_size=3),
    st.sampled_from(["push", "'push'", "p\\ush"]),
    st.lists(st.sampled_from(["origin", "main", "--force", "-u", "--tags", "-f"]), max_size=3),
).map(lambda p: " ".join([p[0], *p[1], p[2], *p[3]]))
curl = st.tuples(command_name("curl"), st.sampled_from([" ", "${IFS}", "\t"]),
                 st.sampled_from(["-s", "http://x.example", "-d@f x"])).map("".join)
WRAPPERS = st.lists(st.sampled_from(["sudo", "sudo -u root", "env", "env A=1", "nice", "nice -n 5", "timeout 5",
                                     "command", "exec", "nohup", "xargs", "stdbuf -o0", "bash -c", "sh -c", "bash -lc",
                                     "eval", "echo x | xargs", "$(", "watch"]), max_size=2)


@st.composite
def denied_line(draw: st.DrawFn) -> str:
    command = draw(st.one_of(rm_rf, git_push, curl))
    for wrapper in draw(WRAPPERS):
        if wrapper == "$(":
            command = f"echo $({command})"
        elif wrapper.endswith(("-c", "-lc", "eval", "watch")):
            command = f"{wrapper} {shlex.quote(command)}"
        else:
            command = f"{wrapper} {command}"
    return spliced(draw, command)


@MANY
@given(denied_line())
def test_every_spelling_of_a_denied_command_is_denied(command: str) -> None:
    assert matches(command, DENY)[0] == "match"
    assert verdict(command, "full-auto", deny=DENY, allow=ALLOW) == "deny"


@MANY
@given(literal_line)
def test_plain_literal_commands_under_an_allow_rule_are_allowed(command: str) -> None:
    assert allowed(command, ALLOW) == (True, "")
    assert verdict(command, allow=ALLOW, deny=DENY) == "allow"
