"""One connection to an MCP server, synchronous for Victor's threads: the SDK's async ClientSession
runs in a blocking portal (an event loop on its own thread); `open()` connects, initialises and lists
the tools, `call()` calls one. Every request is bounded by the server's `timeout_s` (its start by at
least START_TIMEOUT_S); a timeout, a closed connection (the server crashed), an HTTP failure or a
response the SDK cannot read becomes one MCPError line, and the connection is closed so a later call
fails fast instead of hanging. A call whose `cancel` event is set (Ctrl+C) is abandoned within
CANCEL_POLL_S: the SDK tells the server (`notifications/cancelled`) and the connection stays usable."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, wait
from typing import IO, Any

from victor.errors import MCPError

if sys.version_info < (3, 11):  # anyio, which mcp runs on, installs the backport there
    from exceptiongroup import BaseExceptionGroup

START_TIMEOUT_S = 60.0  # starting a container and an interpreter may take longer than a call's timeout_s
CANCEL_POLL_S = 0.1
QUIET = logging.NullHandler()  # without a handler, Python prints the SDK's warnings (and tracebacks) on stderr
Transport = Callable[[], Any]  # () -> an async context manager yielding (read stream, write stream)


class MCPConnection:
    def __init__(self, name: str, transport: Transport, *, timeout_s: float,
                 stderr: IO[bytes] | None = None) -> None:
        self.name = name
        self.timeout_s = timeout_s
        self._transport = transport
        self._stderr = stderr  # the server's stderr, whose last line explains a crash
        self._portal_cm: Any = None
        self._portal: Any = None
        self._session_cm: Any = None
        self._session: Any = None
        self._pending: set[Future[Any]] = set()
        self.broken: str | None = None

    def open(self) -> list[Any]:
        """Start the session; the server's tools (mcp Tool models)."""
        from anyio.from_thread import start_blocking_portal

        logging.getLogger("mcp").addHandler(QUIET)  # the SDK logs tracebacks; the reason comes as MCPError
        self._portal_cm = start_blocking_portal()
        self._portal = portal = self._portal_cm.__enter__()
        self._session_cm = portal.wrap_async_context_manager(self._connect())
        self._session = self._guarded("start", self._session_cm.__enter__)
        result = self._guarded("tools/list", lambda: portal.call(self._bounded, self._session.list_tools))
        return list(result.tools)

    def call(self, tool: str, arguments: dict[str, Any], cancel: threading.Event | None = None) -> Any:
        """The CallToolResult of `tool`; MCPError when the server cannot answer or `cancel` was set first."""
        if self.broken is not None:
            raise MCPError(f"MCP server '{self.name}' is not running ({self.broken})",
                           hint="restart the session once the server is fixed; see `victor mcp list`")
        session, what = self._session, f"tools/call {tool}"
        return self._guarded(what, lambda: self._awaited(
            what, self._portal.start_task_soon(self._bounded, lambda: session.call_tool(tool, arguments)),
            cancel or threading.Event()))

    def close(self) -> None:
        for future in list(self._pending):  # a call in flight would hold the portal open
            future.cancel()
        session_cm, portal_cm = self._session_cm, self._portal_cm
        self._session_cm = self._portal_cm = self._session = None
        self.broken = self.broken or "stopped"
        for manager in (session_cm, portal_cm):
            if manager is not None:
                with contextlib.suppress(BaseException):
                    manager.__exit__(None, None, None)

    @contextlib.asynccontextmanager
    async def _connect(self) -> Any:
        from mcp import ClientSession

        async with self._transport() as (read, write), ClientSession(read, write) as session:
            await self._bounded(session.initialize, max(self.timeout_s, START_TIMEOUT_S))
            yield session

    def _awaited(self, what: str, future: Future[Any], cancel: threading.Event) -> Any:
        """The request's result; cancelled in the portal (the SDK then tells the server) once `cancel` is set."""
        self._pending.add(future)
        try:
            while not wait([future], timeout=CANCEL_POLL_S).done:
                if cancel.is_set() and future.cancel():  # False: the answer came meanwhile
                    break
            return future.result()
        except CancelledError:
            raise MCPError(f"MCP server '{self.name}': {what} was cancelled",
                           hint="the server was told to stop it; its other tools stay available") from None
        finally:
            self._pending.discard(future)

    async def _bounded(self, request: Callable[[], Any], seconds: float | None = None) -> Any:
        import anyio

        with anyio.fail_after(seconds or self.timeout_s):
            return await request()

    def _guarded(self, what: str, action: Callable[[], Any]) -> Any:
        """Run `action`; turn what the transport or SDK raises into MCPError. A server that answered a call
        with a protocol error lives on; after anything else the connection cannot be trusted and is closed."""
        from mcp import MCPError as ProtocolError
        from mcp_types import CONNECTION_CLOSED

        try:
            return action()
        except MCPError:
            raise
        except BaseException as exc:  # noqa: BLE001 - anyio groups, SDK and transport errors alike
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            leaf = _leaf(exc)
        if isinstance(leaf, ProtocolError) and leaf.code != CONNECTION_CLOSED and self._session is not None:
            raise MCPError(f"MCP server '{self.name}': {what} failed: {leaf.message}") from None
        self.broken = self._reason(what, leaf)
        self.close()
        raise MCPError(f"MCP server '{self.name}': {self.broken}",
                       hint="see `victor mcp list`; the session goes on without this server") from None

    def _reason(self, what: str, exc: BaseException) -> str:
        import anyio
        import httpx2  # the SDK's HTTP client
        from mcp import MCPError as ProtocolError

        if isinstance(exc, TimeoutError):
            allowed = max(self.timeout_s, START_TIMEOUT_S) if what == "start" else self.timeout_s
            return f"no answer to {what} within {allowed:g} s; the server was stopped"
        if isinstance(exc, ProtocolError | OSError | anyio.BrokenResourceError | anyio.ClosedResourceError |
                      anyio.EndOfStream):
            last = self._last_stderr_line()
            return f"the server stopped during {what}" + (f" ({last})" if last else "")
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        if isinstance(exc, httpx2.HTTPError):
            return f"HTTP failure during {what}: {text}"
        return f"malformed response to {what}: {text}"

    def _last_stderr_line(self) -> str:
        if self._stderr is None:
            return ""
        with contextlib.suppress(OSError, ValueError):
            self._stderr.seek(0)
            lines = [line.strip() for line in self._stderr.read()[-4096:].decode(errors="replace").splitlines()]
            return next((line for line in reversed(lines) if line), "")[:200]
        return ""


def _leaf(exc: BaseException) -> BaseException:
    """The first real error inside (nested) exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc
