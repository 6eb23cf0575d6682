"""The lean HTTP/1.1 transport against raw servers that misbehave on purpose."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from gateway.subgraph.h1 import H1Transport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
HEADERS = {"content-type": "application/json"}


@asynccontextmanager
async def server(handler: Handler) -> AsyncIterator[tuple[str, list[int]]]:
    """A raw TCP server on a free port; yields its URL and the list of connections it accepted."""
    connections: list[int] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections))
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    listener = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/graphql", connections
    finally:
        listener.close()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    return head + await reader.readexactly(length)


def answer(body: bytes, *, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n%s\r\n%s" % (
        len(body),
        extra,
        body,
    )


async def keep_alive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        try:
            request = await read_request(reader)
        except asyncio.IncompleteReadError:
            return
        writer.write(answer(b'{"echo":%d}' % len(request)))
        await writer.drain()


async def test_requests_reuse_one_keep_alive_connection() -> None:
    transport = H1Transport()
    async with server(keep_alive) as (url, connections):
        for _ in range(3):
            response = await transport(url, b'{"query":"{a}"}', HEADERS, 2.0)
            assert response.status == 200
            assert response.content_type == "application/json"
            assert response.body.startswith(b'{"echo":')
        assert len(connections) == 1
    await transport.close()


async def test_sends_host_headers_and_the_body() -> None:
    seen: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        writer.write(answer(b"{}"))
        await writer.drain()

    async with server(record) as (url, _):
        await H1Transport()(url, b'{"q":1}', {**HEADERS, "x-request-id": "r1"}, 2.0)
    request = seen[0]
    assert request.startswith(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:")
    assert b"x-request-id: r1\r\n" in request
    assert b"content-length: 7\r\n" in request
    assert request.endswith(b'\r\n\r\n{"q":1}')


async def test_chunked_answers_are_reassembled() -> None:
    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
        writer.write(b'5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n')
        await writer.drain()

    async with server(chunked) as (url, _):
        response = await H1Transport()(url, b"{}", HEADERS, 2.0)
    assert response.body == b'{"a":1}'


async def test_connection_close_is_honoured_and_the_next_call_reconnects() -> None:
    async def close_after_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer(b"{}", extra=b"connection: close\r\n"))
        await writer.drain()

    transport = H1Transport()
    async with server(close_after_one) as (url, connections):
        await transport(url, b"{}", HEADERS, 2.0)
        await transport(url, b"{}", HEADERS, 2.0)
        assert len(connections) == 2


async def test_an_idle_connection_dropped_by_the_server_is_replaced_without_an_error() -> None:
    async def one_answer_then_drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer(b"{}"))  # keep-alive promised, then the server drops the idle connection
        await writer.drain()
        await reader.read(1)  # the next request's first bytes, or EOF: in any case close without answering

    transport = H1Transport()
    async with server(one_answer_then_drop) as (url, connections):
        await transport(url, b"{}", HEADERS, 2.0)
        response = await transport(url, b"{}", HEADERS, 2.0)
        assert response.status == 200
        assert len(connections) >= 2


async def test_a_fresh_connection_closed_without_an_answer_is_a_connection_error() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async with server(hang_up) as (url, _):
        with pytest.raises(ConnectionError):
            await H1Transport()(url, b"{}", HEADERS, 2.0)


async def test_no_answer_within_the_time_limit_is_a_timeout() -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async with server(slow) as (url, _):
        with pytest.raises(TimeoutError):
            await H1Transport()(url, b"{}", HEADERS, 0.2)


async def test_a_refused_connection_is_a_connection_error() -> None:
    listener = await asyncio.start_server(keep_alive, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()
    with pytest.raises(ConnectionError):
        await H1Transport()(f"http://127.0.0.1:{port}/graphql", b"{}", HEADERS, 2.0)


async def test_a_malformed_answer_is_a_connection_error() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"NOT HTTP AT ALL\r\n\r\n")
        await writer.drain()

    async with server(garbage) as (url, _):
        with pytest.raises(ConnectionError):
            await H1Transport()(url, b"{}", HEADERS, 2.0)


async def test_error_statuses_and_reasons_come_through() -> None:
    async def unavailable(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 4\r\n\r\nbusy")
        await writer.drain()

    async with server(unavailable) as (url, _):
        response = await H1Transport()(url, b"{}", HEADERS, 2.0)
    assert (response.status, response.reason, response.body) == (503, "Service Unavailable", b"busy")


async def test_concurrent_calls_use_separate_connections_and_all_complete() -> None:
    async def slowish(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            await asyncio.sleep(0.05)
            writer.write(answer(b"{}"))
            await writer.drain()

    transport = H1Transport()
    async with server(slowish) as (url, connections):
        results = await asyncio.gather(*(transport(url, b"{}", HEADERS, 2.0) for _ in range(10)))
        assert all(r.status == 200 for r in results)
        assert len(connections) == 10
        await asyncio.gather(*(transport(url, b"{}", HEADERS, 2.0) for _ in range(10)))
        assert len(connections) == 10  # the second wave reused the pooled connections
    await transport.close()


def test_only_http_urls_are_accepted() -> None:
    with pytest.raises(ConnectionError):
        asyncio.run(H1Transport()("ftp://example/graphql", b"{}", HEADERS, 1.0))
