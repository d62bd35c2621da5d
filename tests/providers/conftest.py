"""Helpers for the provider tests: recorded wire exchanges, served by a real local HTTP server
(pytest-httpserver), and a retry policy that records its waits instead of sleeping."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug import Response

from victor.providers.retry import RetryPolicy

RECORDINGS = Path(__file__).parent / "recordings"


def recording(name: str) -> str:
    return (RECORDINGS / name).read_text()


def sse(name: str, *, status: int = 200) -> Response:
    return Response(recording(name), status=status, content_type="text/event-stream")


def ndjson(name: str) -> Response:
    return Response(recording(name), content_type="application/x-ndjson")


def truncated(name: str, *, lines: int, content_type: str) -> Response:
    """The first `lines` lines of a recording, then the stream just ends (no final frame)."""
    body = "".join(recording(name).splitlines(keepends=True)[:lines])
    return Response(body, content_type=content_type)


def dropped(name: str, *, lines: int, content_type: str) -> Response:
    """The first `lines` lines, then the connection closes although Content-Length promised the
    whole recording: the client sees a transfer broken mid-way."""
    full = recording(name).encode()
    part = b"".join(recording(name).encode().splitlines(keepends=True)[:lines])
    response = Response(part, content_type=content_type)
    response.headers["Content-Length"] = str(len(full))
    return response


class RecordedWaits(list):
    """A `sleep` that remembers how long the retry loop asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def waits() -> RecordedWaits:
    return RecordedWaits()


@pytest.fixture
def retry(waits: RecordedWaits) -> RetryPolicy:
    return RetryPolicy(max_retries=2, base_delay_s=0.01, sleep=waits)
