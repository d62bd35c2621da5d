"""Two model servers on one loopback port, speaking OpenAI's streamed chat-completions wire format:
`/cloud/v1` plays a cloud API (a profile with no base_url, reached through the SDK's own
OPENAI_BASE_URL), `/local/v1` a local OpenAI-compatible server. Whichever is asked next replays the
next scripted turn, and every request body is recorded, so a test can read exactly what each side
received. A non-streamed request (a client probing whether the server returns native tool calls)
gets a native call of the first tool offered, and is recorded in `probes`, not as a turn. Only the
model is scripted; Victor's CLI, router, agent loop and tools are the real ones."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

COMPLETIONS = re.compile(r"/(cloud|local)/v1/chat/completions")


@dataclass
class Received:
    side: str  # "cloud" or "local"
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """The whole request as sent, for searching."""
        return json.dumps(self.body, ensure_ascii=False)


@dataclass
class ModelServers:
    """`turns`: each item is a tool call `(name, args)` or a final answer (a str)."""

    server: HTTPServer
    turns: list[Any]
    received: list[Received] = field(default_factory=list)
    probes: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.expect_request(COMPLETIONS, method="POST").respond_with_handler(self._answer)

    @property
    def cloud_url(self) -> str:
        return self.server.url_for("/cloud/v1")

    @property
    def local_url(self) -> str:
        return self.server.url_for("/local/v1")

    def sides(self) -> list[str]:
        return [request.side for request in self.received]

    def sent_to_cloud(self) -> str:
        return "\n".join(request.text for request in self.received if request.side == "cloud")

    def _answer(self, request: Request) -> Response:
        side = COMPLETIONS.fullmatch(request.path).group(1)
        body = json.loads(request.get_data())
        if not body.get("stream"):
            self.probes.append(Received(side, body))
            return Response(json.dumps(native_call(body)), content_type="application/json")
        self.received.append(Received(side, body))
        turn = self.turns.pop(0) if self.turns else "(no more scripted turns)"
        return Response(sse_turn(turn, len(self.received)), content_type="text/event-stream")


def native_call(body: dict[str, Any]) -> dict[str, Any]:
    """A whole (non-streamed) completion calling the first tool the request offers, with empty arguments."""
    name = body["tools"][0]["function"]["name"] if body.get("tools") else None
    message: dict[str, Any] = {"role": "assistant", "content": None if name else "ok"}
    if name:
        message["tool_calls"] = [{"id": "call_probe", "type": "function", "function": {"name": name, "arguments": "{}"}}]
    return {"id": "chatcmpl-probe", "object": "chat.completion", "created": 1731000000, "model": "scripted",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if name else "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}


def sse_turn(turn: Any, number: int) -> str:
    """One streamed completion: a text answer, or one tool call, then usage and [DONE]."""
    head = {"id": f"chatcmpl-{number}", "object": "chat.completion.chunk", "created": 1731000000 + number,
            "model": "scripted"}
    if isinstance(turn, str):
        delta, finish = {"role": "assistant", "content": turn}, "stop"
    else:
        name, args = turn
        delta = {"role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "id": f"call_{number}", "type": "function",
             "function": {"name": name, "arguments": json.dumps(args)}}]}
        finish = "tool_calls"
    chunks = [
        {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": None}], "usage": None},
        {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}], "usage": None},
        {**head, "choices": [], "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}},
    ]
    return "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
