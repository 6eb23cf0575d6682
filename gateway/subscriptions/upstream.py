"""The gateway as a graphql-transport-ws client of a subgraph: one subscription over one WebSocket.

:func:`subscribe_upstream` connects (with the signed identity in the
handshake headers), sends ``connection_init`` and ``subscribe``, answers
pings, and yields the payload of every ``next``. It returns when the subgraph
completes the subscription; it raises :class:`UpstreamLost` when the
connection drops or cannot be made (worth retrying: the subgraph may be
restarting) and :class:`UpstreamRejected` when the subgraph refuses the
subscription (an ``error`` message or an auth close code: retrying the same
request cannot help). A custom ``Connector`` replaces aiohttp in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

import aiohttp
import orjson

from gateway.subscriptions import protocol as p
from gateway.subscriptions.errors import UpstreamLost, UpstreamRejected

ACK_TIMEOUT_SECONDS = 5.0
# Close codes after which the same request would be refused again.
_FINAL_CLOSE_CODES = frozenset({p.BAD_REQUEST, p.UNAUTHORIZED, p.FORBIDDEN, p.SUBPROTOCOL_NOT_ACCEPTABLE})


class Connector(Protocol):
    """Opens a WebSocket (aiohttp's ``ws_connect`` signature, the part we use)."""

    async def __call__(self, url: str, headers: Mapping[str, str]) -> aiohttp.ClientWebSocketResponse: ...


class AiohttpConnector:
    """WebSockets from one shared aiohttp session (created on first use)."""

    def __init__(self, *, connect_timeout: float = 5.0) -> None:
        self.connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    async def __call__(self, url: str, headers: Mapping[str, str]) -> aiohttp.ClientWebSocketResponse:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return await self._session.ws_connect(
            url,
            protocols=(p.SUBPROTOCOL,),
            headers=dict(headers),
            timeout=aiohttp.ClientWSTimeout(ws_close=2.0),
            heartbeat=20.0,  # WebSocket-level pings: a silent half-open connection is noticed
            max_msg_size=16 * 1024 * 1024,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def websocket_url(http_url: str) -> str:
    """The subgraph's WebSocket URL from its HTTP URL in the supergraph."""
    if http_url.startswith("https://"):
        return "wss://" + http_url[len("https://") :]
    if http_url.startswith("http://"):
        return "ws://" + http_url[len("http://") :]
    return http_url


async def subscribe_upstream(
    connector: Connector, url: str, headers: Mapping[str, str], body: Mapping[str, Any]
) -> AsyncIterator[dict[str, Any]]:
    """The subgraph's events for ``body`` (query, variables, operationName), as ``next`` payloads."""
    try:
        ws = await connector(websocket_url(url), headers)
    except aiohttp.WSServerHandshakeError as exc:
        if exc.status in (401, 403):
            raise UpstreamRejected(f"the subgraph refused the WebSocket handshake ({exc.status})") from exc
        raise UpstreamLost(f"WebSocket handshake with the subgraph failed: {exc.status}") from exc
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise UpstreamLost(f"cannot connect to the subgraph: {exc}") from exc
    try:
        await ws.send_str(orjson.dumps({"type": p.CONNECTION_INIT}).decode())
        try:
            first = await asyncio.wait_for(_receive(ws), ACK_TIMEOUT_SECONDS)
        except TimeoutError as exc:
            raise UpstreamLost("the subgraph did not acknowledge connection_init") from exc
        if first.get("type") != p.CONNECTION_ACK:
            raise UpstreamRejected(f"the subgraph answered connection_init with {first.get('type')!r}")
        await ws.send_str(orjson.dumps({"id": "1", "type": p.SUBSCRIBE, "payload": dict(body)}).decode())
        while True:
            message = await _receive(ws)
            kind = message.get("type")
            if kind == p.NEXT:
                payload = message.get("payload")
                if isinstance(payload, dict):
                    yield payload
            elif kind == p.PING:
                await ws.send_str(orjson.dumps({"type": p.PONG}).decode())
            elif kind == p.ERROR:
                errors = message.get("payload")
                raise UpstreamRejected(
                    "the subgraph refused the subscription", errors=errors if isinstance(errors, list) else []
                )
            elif kind == p.COMPLETE:
                return
    finally:
        await ws.close()


async def _receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    try:
        message = await ws.receive()
    except (aiohttp.ClientError, OSError) as exc:
        raise UpstreamLost(f"the subgraph connection failed: {exc}") from exc
    if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
        try:
            decoded = orjson.loads(message.data)
        except orjson.JSONDecodeError as exc:
            raise UpstreamLost("the subgraph sent a message that is not JSON") from exc
        return decoded if isinstance(decoded, dict) else {}
    code = ws.close_code
    if code in _FINAL_CLOSE_CODES:
        raise UpstreamRejected(f"the subgraph closed the subscription with {code}")
    raise UpstreamLost(f"the subgraph closed the connection ({code})")
