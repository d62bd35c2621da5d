"""A fleet: one profile served by several servers (`base_url` as a list: vLLM or Ollama replicas).

`FleetProvider` holds one provider per server (the registry builds each on one URL) and sends each
request to the server with the fewest requests in flight, ties to the one picked longest ago. Each
server has its own circuit breaker (routing/health.py's HealthTracker, keyed by URL; one failure
opens it, since a refused connection rarely heals within seconds). A server that fails before its
reply starts is skipped visibly (`notify`), audited (`endpoint_failed`), and the request goes to the
next one; when none is left the last error goes up, to the router's fallback. A reply cut off
mid-way is not repeated elsewhere: the user has seen part of it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Sequence

from victor.audit.sink import AuditSink
from victor.errors import ProviderError
from victor.providers.base import Capabilities, Event, Message, Provider, StreamOptions, ToolSpec
from victor.routing.health import HealthTracker

COOLDOWN_S = 30.0


class FleetProvider:
    """Several servers of one model behind one Provider."""

    def __init__(self, servers: Sequence[tuple[str, Provider]], *, audit: AuditSink | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.servers = dict(servers)
        first = next(iter(self.servers.values()))
        self.profile, self.provider, self.model = first.profile, first.provider, first.model
        self.health = HealthTracker(failure_threshold=1, cooldown_s=COOLDOWN_S)
        self.audit, self.notify = audit, notify or (lambda message: None)
        self._in_flight = dict.fromkeys(self.servers, 0)
        self._picked = dict.fromkeys(self.servers, 0)
        self._tickets = itertools.count(1)
        self._lock = threading.Lock()
        self._current = first

    @property
    def capabilities(self) -> Capabilities:
        """The last server's; one that cannot say (an Ollama asked for `/api/show`) gives way to the next."""
        *first, last = [self._current, *(server for server in self.servers.values() if server is not self._current)]
        for server in first:
            try:
                return server.capabilities
            except ProviderError as error:
                if not error.retryable:
                    raise
        return last.capabilities

    def stream(self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (),
               options: StreamOptions | None = None) -> Iterator[Event]:
        tried: set[str] = set()
        while True:
            url = self._pick(tried)
            produced = False
            try:
                for event in self.servers[url].stream(messages, tools, options):
                    produced = True
                    yield event
                self.health.record_success(url)
                return
            except ProviderError as error:
                if not error.retryable:
                    raise
                self.health.record_failure(url)
                retry = not produced and bool(self._candidates(tried))
                self._skipped(url, error, retried=retry)
                if not retry:
                    raise
            finally:
                with self._lock:
                    self._in_flight[url] -= 1

    def list_models(self) -> list[str]:
        return self._current.list_models()

    def close(self) -> None:
        for server in self.servers.values():
            server.close()

    def _candidates(self, tried: set[str]) -> list[str]:
        """The untried servers whose breaker lets them try; with every breaker open, all of them for
        the first attempt (a fleet is never refused untried)."""
        untried = [url for url in self.servers if url not in tried]
        return [url for url in untried if self.health.allows(url)] or ([] if tried else untried)

    def _pick(self, tried: set[str]) -> str:
        """Of the candidates, the one with the fewest requests in flight, ties to the one picked longest ago."""
        with self._lock:
            url = min(self._candidates(tried), key=lambda url: (self._in_flight[url], self._picked[url]))
            tried.add(url)
            self._in_flight[url] += 1
            self._picked[url] = next(self._tickets)
            self._current = self.servers[url]
            return url

    def _skipped(self, url: str, error: ProviderError, *, retried: bool) -> None:
        then = "trying the next server" if retried else "no server left to try"
        self.notify(f"profile '{self.profile}': server {url} failed ({error.message}); skipped for "
                    f"{self.health.cooldown_s:.0f}s, {then}")
        if self.audit is not None:
            self.audit.record("endpoint_failed", success=False, profile=self.profile, provider=self.provider,
                              model=self.model, endpoint=url, error=error.message, retried=retried)
