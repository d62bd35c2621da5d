"""The one model server every agent under test talks to: `python -m llama_cpp.server` on loopback
with the GGUF (started here, or given by --base-url), and, from its log, the prompt tokens it
evaluated per request (what the KV cache could not reuse)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROMPT_EVAL = re.compile(r"prompt eval time\s*=\s*[\d.]+ ms /\s*(\d+) tokens")
PREFIX_HIT = re.compile(r"Llama\.generate: (\d+) prefix-match hit")
START_TIMEOUT_S = 300


class LlamaServer:
    """A started server; `log_offset()` and `prompt_stats(since)` read what it was sent."""

    def __init__(self, gguf: Path, log: Path, *, n_ctx: int = 8192, alias: str | None = None) -> None:
        self.alias = alias or gguf.stem
        self.log = log
        port = _free_port()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--n_ctx", str(n_ctx),
                   "--host", "127.0.0.1", "--port", str(port), "--model_alias", self.alias]
        self._log_file = log.open("w")
        self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"llama_cpp.server exited with {self.process.returncode}; see {self.log}")
            if model_names(self.base_url):
                self._warm_up()
                return
            time.sleep(1)
        raise SystemExit(f"llama_cpp.server did not answer within {START_TIMEOUT_S} s; see {self.log}")

    def _warm_up(self) -> None:
        """One short completion, so no agent pays for the server's first request (weights paged in)."""
        body = json.dumps({"messages": [{"role": "user", "content": "Say OK."}], "max_tokens": 4}).encode()
        request = urllib.request.Request(self.base_url + "/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=START_TIMEOUT_S) as response:
            response.read()

    def log_offset(self) -> int:
        return self.log.stat().st_size

    def prompt_stats(self, since: int) -> tuple[list[int], list[int]]:
        """Per request since `since`: the prompt's tokens, and those evaluated (not reused from the
        KV cache)."""
        with self.log.open("rb") as handle:
            handle.seek(since)
            return prompt_stats(handle.read().decode("utf-8", "replace"))

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log_file.close()


def prompt_stats(log: str) -> tuple[list[int], list[int]]:
    """(prompt tokens, evaluated tokens) per request in a llama_cpp.server log: a request's prompt
    is its prefix-match hit (when it logs one) plus what it evaluated."""
    totals, evaluated, hit = [], [], 0
    for line in log.splitlines():
        match = PREFIX_HIT.search(line)
        if match:
            hit = int(match.group(1))
            continue
        match = PROMPT_EVAL.search(line)
        if match:
            evaluated.append(int(match.group(1)))
            totals.append(hit + int(match.group(1)))
            hit = 0
    return totals, evaluated


def model_names(base_url: str) -> list[str]:
    """The model ids the server lists; [] while it is not answering."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/models", timeout=5) as response:
            return [model["id"] for model in json.load(response).get("data", [])]
    except (OSError, ValueError):
        return []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
