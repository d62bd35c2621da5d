"""The agents under test, each run headless in a task's repository, one attempt at a time:
Victor (`victor run --approval full-auto --json`, its own VICTOR_HOME per task, attempt 2 with
--continue) and Aider (from its own virtualenv, no git, like Aider's benchmark; attempt 2 restores
the chat history). Both report wall time, model turns, tokens and edits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

EDIT_TOOLS = frozenset({"write_file", "edit_file", "replace_in_file"})
AIDER_TOKENS = re.compile(r"Tokens:\s*([\d.]+)([kM]?) sent,\s*([\d.]+)([kM]?) received")
AIDER_MALFORMED = ("did not conform to the edit format", "SearchReplaceNoExactMatch", "Malformed response")


@dataclass
class Attempt:
    wall_s: float = 0.0
    turns: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    edits_ok: int = 0
    edits: int = 0
    finish: str = ""
    log: str = ""
    prompt_evals: list[int] = field(default_factory=list)


class VictorAgent:
    """Victor on the bench profile (an openai-compatible one on the shared server) or a named one."""

    name = "victor"

    def __init__(self, home: Path, profiles_yaml: str, profile: str | None, timeout_s: float) -> None:
        self.home, self.profile, self.timeout_s = home, profile, timeout_s
        home.mkdir(parents=True)
        (home / "profiles.yaml").write_text(profiles_yaml, encoding="utf-8")

    def attempt(self, repo: Path, prompt: str, first: bool) -> Attempt:
        command = [str(Path(sys.executable).with_name("victor")), "run", "--approval", "full-auto", "--json"]
        command += ["--profile", self.profile] if self.profile else []
        command += [] if first else ["--continue"]
        env = {**os.environ, "VICTOR_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        started = time.monotonic()
        try:
            done = subprocess.run([*command, prompt], cwd=repo, env=env, capture_output=True, text=True,
                                  timeout=self.timeout_s)
            out, err = done.stdout, done.stderr
        except subprocess.TimeoutExpired as expired:
            out, err = _text(expired.stdout), _text(expired.stderr) + "\n[bench: attempt timed out]"
        result = victor_stats(out.splitlines())
        result.wall_s = time.monotonic() - started
        result.log = out + "\n--- stderr ---\n" + err
        return result


def victor_stats(lines: list[str]) -> Attempt:
    """Turns, tokens, edits and the finish reason from `victor run --json` event lines."""
    result, calls = Attempt(finish="no done event"), {}
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        kind = event.get("type")
        if kind == "usage":
            result.input_tokens += event["input_tokens"]
            result.output_tokens += event["output_tokens"]
        elif kind == "tool_call":
            calls[event["id"]] = event["name"]
        elif kind == "tool_result" and calls.get(event["id"]) in EDIT_TOOLS:
            result.edits += 1
            result.edits_ok += bool(event["ok"])
        elif kind == "done":
            result.turns, result.finish = event["turns"], event["reason"]
    return result


class AiderAgent:
    """Aider with the same model through the same server; solution files added, tests not."""

    name = "aider"

    def __init__(self, executable: Path, base_url: str, model: str, solution: list[str], timeout_s: float) -> None:
        self.executable, self.base_url, self.model = executable, base_url, model
        self.solution, self.timeout_s = solution, timeout_s

    def attempt(self, repo: Path, prompt: str, first: bool) -> Attempt:
        command = [str(self.executable), "--model", f"openai/{self.model}", "--openai-api-base", self.base_url,
                   "--openai-api-key", "x", "--yes-always", "--no-git", "--no-auto-commits", "--no-pretty",
                   "--no-stream", "--no-check-update", "--analytics-disable", "--no-show-model-warnings",
                   "--no-fancy-input", "--no-suggest-shell-commands", "--no-detect-urls", "--no-gitignore",
                   "--message", prompt, *self.solution]
        command += [] if first else ["--restore-chat-history"]
        env = {**os.environ, "HOME": str(repo.parent / "aider-home")}
        Path(env["HOME"]).mkdir(exist_ok=True)
        started = time.monotonic()
        try:
            done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True,
                                  timeout=self.timeout_s, stdin=subprocess.DEVNULL)
            out = done.stdout + done.stderr
        except subprocess.TimeoutExpired as expired:
            out = _text(expired.stdout) + _text(expired.stderr) + "\n[bench: attempt timed out]"
        result = aider_stats(out)
        result.wall_s = time.monotonic() - started
        result.log = out
        return result


def aider_stats(output: str) -> Attempt:
    """Turns and tokens from Aider's `Tokens: 1.2k sent, 345 received.` lines; malformed edits."""
    result = Attempt(finish="done")
    for sent, sent_unit, received, received_unit in AIDER_TOKENS.findall(output):
        result.turns += 1
        result.input_tokens += _count(sent, sent_unit)
        result.output_tokens += _count(received, received_unit)
    applied = output.count("Applied edit to")
    malformed = sum(output.count(marker) for marker in AIDER_MALFORMED)
    result.edits, result.edits_ok = applied + malformed, applied
    return result


def _count(number: str, unit: str) -> int:
    return round(float(number) * {"": 1, "k": 1_000, "M": 1_000_000}[unit])


def _text(value: bytes | str | None) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else (value or "")


def bench_profiles(base_url: str | None, model: str | None, sandbox: str, user_home: Path) -> str:
    """profiles.yaml for a run's VICTOR_HOME: the user's own file (for --profile), plus, with a
    server, a `bench` profile on it as the default; the sandbox backend as chosen."""
    import yaml

    source = user_home / "profiles.yaml"
    config = yaml.safe_load(source.read_text(encoding="utf-8")) if source.is_file() else {}
    config = config or {}
    if base_url:
        config.setdefault("profiles", {})["bench"] = {
            "provider": "openai-compatible", "base_url": base_url, "model": model, "context_window": 8192,
            "timeout_s": 600, "max_retries": 0,
        }
        config["default_profile"] = "bench"
    config.setdefault("sandbox", {})["backend"] = sandbox
    return yaml.safe_dump(config, sort_keys=False)
