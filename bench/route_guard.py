"""What checking the whole request each turn costs: a session that reads one of Victor's own source
files per turn (up to 16,000 characters each, as read_file returns them), routed every turn. Prints,
per turn count, the router's scan with the per-message cache (the session's) against a fresh scan of
the whole history (the baseline, measured in the same run), and the ratio."""

from __future__ import annotations

import time
from pathlib import Path

from victor.providers.base import Message, ToolCall
from victor.routing.exposure import ExposedFiles, request_parts
from victor.routing.sensitivity import SensitivityScanner

ROOT = Path(__file__).resolve().parent.parent
TURNS = 60
RESULT_CHARS = 16_000


def main() -> None:
    sources = sorted((ROOT / "src" / "victor").rglob("*.py"))[:TURNS]
    messages = [Message("system", "You are Victor.\n" * 40), Message("user", "refactor the routing")]
    cached, exposed = SensitivityScanner(), ExposedFiles(ROOT)
    SensitivityScanner().scan("warm up: compile the rules", {}, [])
    print(f"{'turn':>5}{'history KB':>12}{'cached ms':>11}{'whole ms':>10}{'× faster':>10}")
    for turn, source in enumerate(sources, start=1):
        call = ToolCall(f"c{turn}", "read_file", {"path": str(source.relative_to(ROOT))})
        messages += [Message("assistant", "", [call]),
                     Message("tool", source.read_text()[:RESULT_CHARS], tool_call_id=call.id, name="read_file")]
        prompt, context = request_parts(messages)
        start = time.perf_counter()
        cached.scan(prompt, {}, context)
        exposed.paths(messages)
        with_cache = time.perf_counter() - start
        start = time.perf_counter()
        SensitivityScanner().scan(prompt, {}, context)
        whole = time.perf_counter() - start
        if turn in (1, 10, 30, TURNS):
            size = sum(len(message.content) for message in messages) / 1000
            print(f"{turn:>5}{size:>12.0f}{with_cache * 1000:>11.1f}{whole * 1000:>10.1f}{whole / with_cache:>10.1f}")


if __name__ == "__main__":
    main()
