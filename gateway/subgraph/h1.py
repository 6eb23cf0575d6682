"""A lean HTTP/1.1 keep-alive transport for subgraph calls (asyncio protocol + httptools parser).

Subgraph calls are the gateway's hot path: a fanout query makes a dozen of
them per client request. aiohttp's client spends most of its time on
features a subgraph call never uses (cookies, redirects, proxies, tracing,
a timeout object per call); this transport does only what the call needs:
write one POST on a pooled connection, parse the answer with httptools (the
parser uvicorn uses), and give the connection back. It speaks plain HTTP and
HTTPS, content-length and chunked bodies, and ``Connection: close``.

Errors follow :class:`~gateway.subgraph.client.Transport`: ``TimeoutError``
when the time limit passes, ``ConnectionError`` when no answer came. A call
on a *reused* connection that the server closed before sending a single
byte is retried once on a fresh connection: that is the keep-alive race
(the server dropped an idle connection as we wrote), and the request was
never processed.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from typing import cast
from urllib.parse import urlsplit

import httptools

from gateway.subgraph.client import RawResponse


class _Connection(asyncio.Protocol):
    """One TCP connection; carries one request at a time."""

    __slots__ = (
        "_body",
        "_content_type",
        "_header_name",
        "_parser",
        "_reason",
        "_received",
        "_waiter",
        "closed",
        "reused",
        "transport",
    )

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[RawResponse] | None = None
        self._body: list[bytes] = []
        self._content_type = ""
        self._reason = ""
        self._header_name = b""
        self._received = False
        self.closed = False
        self.reused = False

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but they have write() and close().
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._received = True
        if self._waiter is None:
            self.close()  # bytes nobody asked for: the connection is out of step
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(ConnectionError(f"malformed HTTP response: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._fail(_Dropped(self._received, str(exc) if exc else "the subgraph closed the connection"))

    # httptools callbacks

    def on_status(self, status: bytes) -> None:
        self._reason = status.decode("latin-1")

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"content-type":
            self._content_type = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        waiter.set_result(RawResponse(self._parser.get_status_code(), self._content_type, body, self._reason))
        if not self._parser.should_keep_alive():
            self.close()

    # use

    def send(self, request: bytes, loop: asyncio.AbstractEventLoop) -> asyncio.Future[RawResponse]:
        assert self.transport is not None
        self._waiter = loop.create_future()
        self._body = []
        self._content_type = ""
        self._reason = ""
        self._received = False
        self.transport.write(request)
        return self._waiter

    def finish(self) -> None:
        self._waiter = None
        self.reused = True

    def _fail(self, exc: Exception) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class _Dropped(ConnectionError):
    def __init__(self, received: bool, message: str) -> None:
        super().__init__(message)
        self.received = received


class _Origin:
    """The pool of idle connections to one scheme://host:port, and the request head for each path."""

    __slots__ = ("_heads", "host", "idle", "port", "ssl")

    def __init__(self, scheme: str, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.ssl: ssl.SSLContext | None = ssl.create_default_context() if scheme == "https" else None
        self.idle: list[_Connection] = []
        self._heads: dict[str, bytes] = {}

    def head(self, path: str) -> bytes:
        head = self._heads.get(path)
        if head is None:
            host = self.host if self.port in (80, 443) else f"{self.host}:{self.port}"
            head = self._heads[path] = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n".encode("latin-1")
        return head


class H1Transport:
    """Keep-alive HTTP/1.1 POSTs with one idle-connection pool per origin."""

    def __init__(self, *, max_idle_per_origin: int = 256) -> None:
        self._origins: dict[str, tuple[_Origin, str]] = {}
        self._max_idle = max_idle_per_origin

    async def __call__(self, url: str, body: bytes, headers: Mapping[str, str], time_limit: float) -> RawResponse:
        origin, path = self._origin(url)
        lines = [origin.head(path)]
        for name, value in headers.items():
            lines.append(f"{name}: {value}\r\n".encode("latin-1"))
        lines.append(b"content-length: %d\r\n\r\n" % len(body))
        lines.append(body)
        request = b"".join(lines)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + time_limit
        try:
            return await self._exchange(origin, request, loop, deadline)
        except _Dropped as exc:
            raise ConnectionError(str(exc)) from None

    async def _exchange(
        self, origin: _Origin, request: bytes, loop: asyncio.AbstractEventLoop, deadline: float
    ) -> RawResponse:
        connection = await self._acquire(origin, loop, deadline)
        try:
            return await self._roundtrip(connection, origin, request, loop, deadline)
        except _Dropped as exc:
            if not connection.reused or exc.received:
                raise
        # The server dropped an idle keep-alive connection as we wrote: nothing was processed, try a new one.
        connection = await self._connect(origin, loop, deadline)
        return await self._roundtrip(connection, origin, request, loop, deadline)

    async def _roundtrip(
        self,
        connection: _Connection,
        origin: _Origin,
        request: bytes,
        loop: asyncio.AbstractEventLoop,
        deadline: float,
    ) -> RawResponse:
        waiter = connection.send(request, loop)
        timer = loop.call_at(deadline, _expire, waiter)
        try:
            response = await waiter
        except BaseException:
            connection.close()  # timed out, cancelled or broken: its state is unknown
            raise
        finally:
            timer.cancel()
        connection.finish()
        if not connection.closed and len(origin.idle) < self._max_idle:
            origin.idle.append(connection)
        elif not connection.closed:
            connection.close()
        return response

    async def _acquire(self, origin: _Origin, loop: asyncio.AbstractEventLoop, deadline: float) -> _Connection:
        idle = origin.idle
        while idle:
            connection = idle.pop()
            if not connection.closed:
                return connection
        return await self._connect(origin, loop, deadline)

    async def _connect(self, origin: _Origin, loop: asyncio.AbstractEventLoop, deadline: float) -> _Connection:
        try:
            async with asyncio.timeout_at(deadline):
                _, connection = await loop.create_connection(
                    _Connection,
                    origin.host,
                    origin.port,
                    ssl=origin.ssl,
                    server_hostname=origin.host if origin.ssl else None,
                )
        except TimeoutError:
            raise TimeoutError("no connection within the time limit") from None
        except OSError as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc
        return connection

    def _origin(self, url: str) -> tuple[_Origin, str]:
        known = self._origins.get(url)
        if known is None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConnectionError(f"unsupported subgraph URL {url!r}")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            key = f"{parts.scheme}://{parts.hostname}:{port}"
            origin = next((o for o, _ in self._origins.values() if _key(o) == key), None)
            origin = origin or _Origin(parts.scheme, parts.hostname, port)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            known = self._origins[url] = (origin, path)
        return known

    async def close(self) -> None:
        for origin, _ in self._origins.values():
            while origin.idle:
                origin.idle.pop().close()


def _key(origin: _Origin) -> str:
    return f"{'https' if origin.ssl else 'http'}://{origin.host}:{origin.port}"


def _expire(waiter: asyncio.Future[RawResponse]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError("no answer within the time limit"))
