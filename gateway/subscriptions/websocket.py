"""graphql-transport-ws on the gateway's ``/graphql``: one ASGI WebSocket connection, many subscriptions.

The session accepts only the ``graphql-transport-ws`` subprotocol (else
4406), waits ``init_timeout`` seconds for ``connection_init`` (else 4408),
authenticates from the upgrade headers and the init payload
(``{"Authorization": "Bearer …"}``, ``{"token": …}``, ``{"x-purpose": …}``;
a refused token closes with 4403), and answers ``ping`` with ``pong``. It
pings the client every ``keep_alive`` seconds. Protocol errors close with
the protocol's codes (4400, 4401, 4409, 4429); a gateway bug with 4500.
Every subscription of the connection writes through one bounded
:class:`~gateway.subscriptions.outbox.Outbox`: a client that falls behind is
closed with 1008 and the reason, its buffer dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import orjson

from gateway.context import RequestContext
from gateway.subscriptions import protocol as p
from gateway.subscriptions.hub import Delivery, Membership
from gateway.subscriptions.outbox import Outbox
from gateway.subscriptions.service import Single, SubscribeRequest, SubscriptionService

logger = logging.getLogger(__name__)

Scope = dict[str, Any]


class _Sink:
    """One subscription's events, written into the connection's outbox."""

    __slots__ = ("prefix", "session", "subscription_id")

    def __init__(self, session: WebSocketSession, subscription_id: str) -> None:
        self.session = session
        self.subscription_id = subscription_id
        self.prefix = '{"id":' + orjson.dumps(subscription_id).decode() + ',"type":"next","payload":'

    def next(self, delivery: Delivery) -> None:
        frame = delivery.frames.get(self.prefix)
        if frame is None:  # the first client with this subscription id; the others share the frame
            frame = delivery.frames[self.prefix] = self.prefix + delivery.text + "}"
        if not self.session.outbox.put(frame):
            self.session.slow()

    def error(self, errors: list[dict[str, Any]]) -> None:
        self.session.finished(self.subscription_id, {"type": p.ERROR, "payload": errors})

    def complete(self) -> None:
        self.session.finished(self.subscription_id, {"type": p.COMPLETE})


class WebSocketSession:
    """One client connection; :meth:`run` returns when it is closed."""

    def __init__(
        self,
        service: SubscriptionService,
        scope: Scope,
        receive: Any,
        send: Any,
        *,
        init_timeout: float = 3.0,
        keep_alive: float = 12.0,
        max_messages: int = 1024,
        max_bytes: int = 4 * 1024 * 1024,
        timeout: float = 30.0,
    ) -> None:
        self.service = service
        self.scope = scope
        self.receive = receive
        self.send = send
        self.init_timeout = init_timeout
        self.keep_alive = keep_alive
        self.timeout = timeout
        self.outbox: Outbox[str] = Outbox(max_messages=max_messages, max_bytes=max_bytes)
        self.headers = _headers(scope)
        self.context: RequestContext | None = None
        self.acknowledged = False
        self.subscriptions: dict[str, Membership | None] = {}
        self.closing: tuple[int, str] | None = None
        self._closed = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()

    async def run(self) -> None:
        message = await self.receive()
        if message["type"] != "websocket.connect":
            return
        offered = self.scope.get("subprotocols") or []
        if p.SUBPROTOCOL not in offered:
            await self.send({"type": "websocket.accept"})
            await self._send_close(p.SUBPROTOCOL_NOT_ACCEPTABLE)
            return
        await self.send({"type": "websocket.accept", "subprotocol": p.SUBPROTOCOL})
        writer = asyncio.create_task(self._write())
        timer = asyncio.create_task(self._init_timer())
        pinger = asyncio.create_task(self._ping())
        try:
            await self._read()
        except Exception:
            logger.exception("graphql-transport-ws session failed")
            self.close(p.INTERNAL_ERROR)
        finally:
            for task in (timer, pinger):
                task.cancel()
            await self._end_subscriptions()
            if self.closing is not None and not writer.done():
                writer.cancel()  # a slow client's socket may never drain: do not wait for it
            with contextlib.suppress(asyncio.CancelledError):
                await writer
            if self.closing is not None:
                await self._send_close(*self.closing)

    # -- reading -------------------------------------------------------------------------------------

    async def _read(self) -> None:
        closed = asyncio.create_task(self._closed.wait())
        try:
            while self.closing is None:
                receiving = asyncio.create_task(self.receive())
                done, _ = await asyncio.wait({receiving, closed}, return_when=asyncio.FIRST_COMPLETED)
                if receiving not in done:
                    receiving.cancel()
                    return
                message = receiving.result()
                if message["type"] == "websocket.disconnect":
                    self.outbox.close()
                    return
                text = message.get("text")
                if text is None and message.get("bytes") is not None:
                    text = message["bytes"].decode("utf-8", errors="replace")
                await self._handle(text or "")
        finally:
            closed.cancel()

    async def _handle(self, text: str) -> None:
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            self.close(p.BAD_REQUEST, "Invalid message received: not JSON")
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == p.CONNECTION_INIT:
            await self._init(message.get("payload"))
        elif kind == p.PING:
            self.outbox.put_control(_encode({"type": p.PONG, **_payload_of(message)}))
        elif kind == p.PONG:
            pass
        elif kind == p.SUBSCRIBE:
            await self._subscribe(message)
        elif kind == p.COMPLETE:
            subscription_id = message.get("id")
            if isinstance(subscription_id, str):
                await self._stop(subscription_id)
        else:
            self.close(p.BAD_REQUEST, f"Invalid message received: unknown type {kind!r}")

    async def _init(self, payload: Any) -> None:
        if self.context is not None:
            self.close(p.TOO_MANY_INIT)
            return
        if payload is not None and not isinstance(payload, dict):
            self.close(p.BAD_REQUEST, "Invalid message received: connection_init payload must be an object")
            return
        headers = dict(self.headers)
        headers.update(_credentials(payload or {}))
        context = RequestContext.create(headers, timeout=self.timeout)
        peer = self.scope.get("client")
        if peer:
            context.client_address = peer[0]
        self.context = context
        refused = await self.service.authenticate(headers, context)
        if refused is not None:
            reason = refused.get("extensions", {}).get("reason") or "invalid token"
            self.close(p.FORBIDDEN, f"Forbidden: {reason}")
            return
        self.acknowledged = True
        self.outbox.put_control(_encode({"type": p.CONNECTION_ACK}))

    async def _subscribe(self, message: dict[str, Any]) -> None:
        if not self.acknowledged or self.context is None:
            self.close(p.UNAUTHORIZED)
            return
        subscription_id = message.get("id")
        payload = message.get("payload")
        if not isinstance(subscription_id, str) or not subscription_id or not isinstance(payload, dict):
            self.close(p.BAD_REQUEST, "Invalid message received: subscribe needs an id and a payload")
            return
        query, variables, operation_name = payload.get("query"), payload.get("variables"), payload.get("operationName")
        if (
            not isinstance(query, str)
            or not isinstance(variables, dict | None)
            or not isinstance(operation_name, str | None)
        ):
            self.close(p.BAD_REQUEST, "Invalid message received: bad subscribe payload")
            return
        if subscription_id in self.subscriptions:
            self.close(p.SUBSCRIBER_ALREADY_EXISTS, f"Subscriber for {subscription_id} already exists")
            return
        self.subscriptions[subscription_id] = None  # taken while it opens: a duplicate id is refused meanwhile
        request = SubscribeRequest(query, operation_name or None, variables or {}, self.context)
        task = asyncio.create_task(self._open(subscription_id, request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _open(self, subscription_id: str, request: SubscribeRequest) -> None:
        outcome = await self.service.open(request, _Sink(self, subscription_id))
        if isinstance(outcome, Single):
            sink = _Sink(self, subscription_id)
            self.outbox.put_control(sink.prefix + outcome.payload.decode() + "}")
            self.finished(subscription_id, {"type": p.COMPLETE})
        elif isinstance(outcome, list):
            self.finished(subscription_id, {"type": p.ERROR, "payload": outcome})
        elif subscription_id not in self.subscriptions or self.closing is not None:
            await self.service.leave(outcome)  # completed by the client (or closed) while it opened
        else:
            self.subscriptions[subscription_id] = outcome

    async def _stop(self, subscription_id: str) -> None:
        membership = self.subscriptions.pop(subscription_id, None)
        if membership is not None:
            await self.service.leave(membership)

    def finished(self, subscription_id: str, message: dict[str, Any]) -> None:
        """The server ends a subscription (error or complete); the client is told, the id is free again."""
        self.subscriptions.pop(subscription_id, None)
        self.outbox.put_control(_encode({"id": subscription_id, **message}))

    async def _end_subscriptions(self) -> None:
        memberships = [m for m in self.subscriptions.values() if m is not None]
        self.subscriptions.clear()
        for task in list(self._tasks):
            task.cancel()
        for membership in memberships:
            await self.service.leave(membership)

    # -- writing -------------------------------------------------------------------------------------

    async def _write(self) -> None:
        while True:
            item = await self.outbox.get()
            if item is None:
                return
            await self.send({"type": "websocket.send", "text": item})

    async def _init_timer(self) -> None:
        await asyncio.sleep(self.init_timeout)
        if self.context is None:
            self.close(p.CONNECTION_INIT_TIMEOUT)

    async def _ping(self) -> None:
        while True:
            await asyncio.sleep(self.keep_alive)
            self.outbox.put_control(_encode({"type": p.PING}))

    def slow(self) -> None:
        limit = f"{self.outbox.max_messages} messages or {self.outbox.max_bytes} bytes"
        self.close(p.SLOW_CONSUMER, f"Slow consumer: more than {limit} waiting; subscribe again")

    def close(self, code: int, reason: str | None = None) -> None:
        """Closes the connection with ``code`` once the reader stops (queued messages are dropped)."""
        if self.closing is None:
            self.closing = (code, reason or p.CLOSE_REASONS.get(code, ""))
            self.outbox.close()
            self._closed.set()

    async def _send_close(self, code: int, reason: str | None = None) -> None:
        with contextlib.suppress(Exception):  # the client may be gone already
            await self.send({"type": "websocket.close", "code": code, "reason": reason or p.CLOSE_REASONS[code]})


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", ()):
        headers[raw_name.decode("latin-1").lower()] = raw_value.decode("latin-1")
    return headers


def _credentials(payload: dict[str, Any]) -> dict[str, str]:
    """Headers a browser cannot set on a WebSocket, taken from the connection_init payload."""
    found: dict[str, str] = {}
    for name, value in payload.items():
        lowered = name.lower()
        if not isinstance(value, str):
            continue
        if lowered == "authorization":
            found["authorization"] = value
        elif lowered == "token":
            found["authorization"] = f"Bearer {value}"
        elif lowered == "x-purpose":
            found["x-purpose"] = value
    return found


def _payload_of(message: dict[str, Any]) -> dict[str, Any]:
    return {"payload": message["payload"]} if isinstance(message.get("payload"), dict) else {}


def _encode(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()
