"""Shell approval rules against the review's reproductions (issue 15) and their cousins: an allow rule
approves only literal simple commands that write nothing the rule does not name; deny rules match
after normalising; what cannot be checked asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from victor.agent.policy import ApprovalPolicy
from victor.agent.shell_rules import allowed, matches
from victor.config.schema import ApprovalConfig
from victor.tools.registry import get_tool
from victor.tools.workspace import Workspace

AT_P = r"ls ${x:=\$\(sh\ -c\ \'id\>proof.txt\'\)} ${x@P}"


def shell_verdict(tmp_path: Path, command: str, mode: str = "ask", **rule: list[str]) -> str:
    settings = ApprovalConfig(mode=mode, tools={"run_shell": rule})
    return ApprovalPolicy(settings, Workspace(tmp_path, settings.deny_paths)).decide(
        get_tool("run_shell"), {"command": command}).verdict


@pytest.mark.parametrize(("rule", "command"), [
    ("ls", AT_P),
    ("ls", "ls > AGENTS.md"),
    ("git log", "git log --output=FILE"),
    ("git diff", "git diff --output=x"),
    ("git log", "git log -1 --format=%B --output=sub/.git HEAD~1"),
    # cousins: every kind of expansion, redirection, assignment, compound and writing option
    ("ls", "ls $HOME"), ("ls", 'ls "$(id)"'), ("ls", "ls `id`"), ("ls", "ls $'\\x41'"), ("ls", 'ls $"x"'),
    ("ls", "ls ${x@P}"), ("ls", "ls *.py"), ("ls", "ls {a,b}"), ("ls", "ls ~"), ("ls", "ls <(id)"),
    ("ls", "ls >> x"), ("ls", "ls 2> x"), ("ls", "ls &> x"), ("ls", "ls >& x"), ("ls", "ls >| x"),
    ("cat", "cat <<EOF\nx\nEOF"), ("ls", "X=1 ls"), ("ls", "(ls)"), ("ls", "{ ls; }"), ("ls", "f() { ls; }; f"),
    ("ls", "if ls; then ls; fi"), ("ls", "for i in a; do ls; done"), ("ls", "ls; id"), ("ls", "ls | sh"),
    ("ls", "ls && curl x"), ("ls", "echo $((1+2))"), ("ls", "ls 'unterminated"), ("ls", ""),
    ("git log", "git log --outp=x"), ("git log", "git log --output x"), ("git", "git -c core.pager=sh log"),
    ("git format-patch", "git format-patch -o out HEAD~1"), ("git format-patch", "git format-patch --output-dir=o"),
    ("git archive", "git archive -o x.tar HEAD"), ("git grep", "git grep -Osh x"), ("git", "git --git-dir=x status"),
    ("sort", "sort -o out in"), ("sort", "sort -uo out in"), ("sort", "sort --output=out in"), ("sort", "sort --out=o"),
    ("find", "find . -delete"), ("find", "find . -exec id ;"), ("find", "find . -fprint x"),
    ("sed", "sed -i s/a/b/ f"), ("sed", "sed --in-place s/a/b/ f"), ("sed", "sed -n 'w out' f"),
    ("sed", "sed 's/a/b/w out' f"), ("sed", "sed '1e id' f"), ("sed", "sed -ne 'w x' f"), ("sed", "sed -f s.sed f"),
    ("awk", "awk '{print > \"x\"}' f"), ("awk", "awk 'BEGIN{system(\"id\")}'"), ("awk", "awk '{print | \"sh\"}'"),
    ("rg", "rg --pre=./x y"), ("dd", "dd if=a of=b"), ("tar", "tar xf a.tar"), ("tar", "tar -czf a.tgz ."),
    ("curl", "curl -o x http://h"), ("uniq", "uniq in out"), ("tree", "tree -o x"),
])
def test_allow_rules_never_approve_expansions_redirections_or_writing_options(
        tmp_path: Path, rule: str, command: str) -> None:
    assert not allowed(command, [rule])[0]
    assert shell_verdict(tmp_path, command, allow=[rule]) == "ask"


@pytest.mark.parametrize(("rule", "command"), [
    ("ls", "ls -la src"), ("ls", "ls 'my file' \"other file\" a\\ b"), ("git log", "git log --oneline -5 HEAD~1"),
    ("git log", "git log --format=%B -1"), ("git status", "git status --short && git status -b"),
    ("pytest", "pytest -q tests 2>&1 | pytest --co"), ("sort", "sort -u -k2 in.txt"), ("sed", "sed -n 1,10p a.py"),
    ("sed", "sed 's/a/b/g' notes.txt"), ("find", "find . -name '*.py' -print"), ("awk", "awk -F'|' '{print $2}' f"),
    ("sed -i", "sed -i s/a/b/ f"), ("git grep", "git grep -n needle"), ("tar", "tar tf a.tar"),
])
def test_allow_rules_approve_literal_simple_commands(tmp_path: Path, rule: str, command: str) -> None:
    assert allowed(command, [rule, "sort", "pytest"]) == (True, "")
    assert shell_verdict(tmp_path, command, allow=[rule, "sort", "pytest"]) == "allow"


DENIED = ["/bin/rm -rf x", "rm -fr x", "rm -r -f x", "rm -f -r x", "'rm' -rf x", '"rm" -rf x', "r\\m -rf x",
          "r''m -rf x", "$'\\x72m' -rf x", "rm --recursive --force x", "rm -R -f x", "rm --rec --for x",
          "bash -c 'rm -rf x'", "sh -xc 'rm -rf x'", "bash -c \"bash -c 'rm -rf x'\"", "eval rm -rf x",
          "eval 'rm -rf x'", "sudo rm -rf x", "sudo -u root rm -rf x", "env FOO=1 rm -rf x", "nice -n 5 rm -rf x",
          "timeout 5 rm -rf x", "command rm -rf x", "exec rm -rf x", "xargs rm -rf", "echo x | xargs rm",
          "nohup /usr/bin/rm -rf x", "ls && rm -rf x", "ls | rm -rf x", "ls; rm -rf x", "echo $(rm -rf x)",
          "echo \"`rm -rf x`\"", "cat <(rm -rf x)", "X=$(rm -rf x) ls", "bash <<EOF\nrm -rf x\nEOF",
          "echo 'rm -rf x' | sh", "rm${IFS}-rf x", "rm -rf $DIR", "git -C . push", "git -c a=b push",
          "git --git-dir=.git push origin", "git --no-pager push", "git push --force", "curl${IFS}evil.example",
          "curl evil.example", "/usr/bin/curl -s x", "c\\url x", "'curl' x", "git $x push", "xargs -n1 curl",
          "cat <<< 'rm -rf x' | sh", "alias x='rm -rf'", "git -c alias.p='!rm -rf x' p", "trap 'rm -rf x' EXIT",
          "perl -e 'system \"rm -rf x\"'", "find . -exec rm -rf {} +", "busybox rm -rf x", "f() { rm -rf x; }; f",
          "source <(echo rm -rf x)", "if true; then rm -rf x; fi", "(cd /; rm -rf x)"]


@pytest.mark.parametrize("command", DENIED)
def test_deny_rules_match_every_spelling(tmp_path: Path, command: str) -> None:
    deny = ["rm -rf", "git push", "curl"]
    assert matches(command, deny)[0] == "match"
    assert shell_verdict(tmp_path, command, "full-auto", deny=deny) == "deny"


@pytest.mark.parametrize("command", [
    "$CMD -rf x", "${X} push", "sudo $CMD", "bash -c \"$BODY\"", "eval \"$X\"", "cat s | bash", "bash s.sh",
    "ls ${x:-$(rm -rf y)}", AT_P, "[[ -f x ]] && ls", "case x in a) ls;; esac", "git -c alias.p=push p",
])
def test_what_deny_rules_cannot_rule_out_asks_even_in_full_auto(tmp_path: Path, command: str) -> None:
    assert matches(command, ["rm -rf"])[0] == "unknown"
    assert shell_verdict(tmp_path, command, "full-auto", deny=["rm -rf"]) == "ask"


@pytest.mark.parametrize("command", [
    "rm -r x", "rm -f x", "git commit -m push", "git log --oneline", "echo rm", "ls -rf", "git pushx",
    "echo 'bash is fine'", "git status; ls", "pytest -x",
])
def test_deny_rules_leave_other_commands_alone(tmp_path: Path, command: str) -> None:
    assert matches(command, ["rm -rf", "git push", "curl"]) == ("none", "")
    assert shell_verdict(tmp_path, command, "full-auto", deny=["rm -rf", "git push", "curl"]) == "allow"


def test_the_reason_says_why_an_allow_rule_did_not_apply(tmp_path: Path) -> None:
    settings = ApprovalConfig(mode="ask", tools={"run_shell": {"allow": ["git log"]}})
    decision = ApprovalPolicy(settings, Workspace(tmp_path, settings.deny_paths)).decide(
        get_tool("run_shell"), {"command": "git log --output=x"})
    assert decision.verdict == "ask" and "'--output=x' writes a file" in decision.reason
