"""GraphQL over server-sent events, "distinct connections" mode: one HTTP response per subscription.

``POST /graphql`` (JSON body) or ``GET /graphql?query=…`` with
``Accept: text/event-stream``. A refused token is a 401 with the usual
``UNAUTHENTICATED`` JSON body; a request that cannot run (validation,
variables, a field the caller may not see) is a 400 with its errors. Once
subscribed, the response streams ``event: next`` with each result and ends
with ``event: complete`` (after an error result when the subscription
failed); a comment line every ``keep_alive`` seconds keeps proxies from
closing an idle stream. A client that reads too slowly gets a last
``SLOW_CONSUMER`` error if it can still take one, then the stream ends.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import parse_qs

import orjson

from gateway.context import RequestContext
from gateway.errors import graphql_error
from gateway.subscriptions import protocol as p
from gateway.subscriptions.hub import Delivery
from gateway.subscriptions.outbox import Outbox
from gateway.subscriptions.service import Single, SubscribeRequest, SubscriptionService

_COMPLETE = p.sse_event(p.COMPLETE)
_LAST_WORDS_SECONDS = 1.0


def wants_event_stream(headers: dict[str, str]) -> bool:
    return p.SSE_MEDIA_TYPE in headers.get("accept", "")


class _Sink:
    __slots__ = ("outbox",)

    def __init__(self, outbox: Outbox[bytes]) -> None:
        self.outbox = outbox

    def next(self, delivery: Delivery) -> None:
        frame = delivery.frames.get(_Sink)
        if frame is None:  # one SSE frame per delivery, shared by every stream of the audience
            frame = delivery.frames[_Sink] = p.sse_event(p.NEXT, delivery.payload)
        self.outbox.put(frame)

    def error(self, errors: list[dict[str, Any]]) -> None:
        self.outbox.put_control(p.sse_event(p.NEXT, orjson.dumps({"errors": errors})))
        self.complete()

    def complete(self) -> None:
        self.outbox.put_control(_COMPLETE)
        self.outbox.finish()


async def serve_sse(
    service: SubscriptionService,
    scope: dict[str, Any],
    receive: Any,
    send: Any,
    headers: dict[str, str],
    body: bytes,
    *,
    keep_alive: float = 12.0,
    max_messages: int = 1024,
    max_bytes: int = 4 * 1024 * 1024,
    event_timeout: float = 30.0,
) -> None:
    """Answers one SSE request (the body already read); ``event_timeout`` bounds each event's fetches."""
    try:
        params = _params(scope, body)
    except ValueError as exc:
        await _json(send, 400, [graphql_error(str(exc), "BAD_REQUEST")])
        return
    context = RequestContext.create(headers, timeout=event_timeout)
    peer = scope.get("client")
    if peer:
        context.client_address = peer[0]
    refused = await service.authenticate(headers, context)
    if refused is not None:
        await _json(send, 401, [refused], {"www-authenticate": 'Bearer realm="parkgraph", error="invalid_token"'})
        return
    outbox: Outbox[bytes] = Outbox(max_messages=max_messages, max_bytes=max_bytes)
    request = SubscribeRequest(params["query"], params.get("operationName") or None, params["variables"], context)
    outcome = await service.open(request, _Sink(outbox))
    if isinstance(outcome, list):
        await _json(send, 400, outcome)
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
            ],
        }
    )
    if isinstance(outcome, Single):
        await send({"type": "http.response.body", "body": p.sse_event(p.NEXT, outcome.payload), "more_body": True})
        await send({"type": "http.response.body", "body": _COMPLETE})
        return
    disconnected = asyncio.create_task(_wait_disconnect(receive))
    pinger = asyncio.create_task(_ping(outbox, keep_alive))
    writer = asyncio.create_task(_write(outbox, send))
    overflow = asyncio.create_task(outbox.wait_closed())  # a slow client's writer may hang in send: do not wait
    try:
        await asyncio.wait({disconnected, writer, overflow}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (pinger, disconnected, overflow):
            task.cancel()
        await service.leave(outcome)
        if outbox.overflowed and not writer.done():
            writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer
        if outbox.overflowed:
            await _last_words(send)
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b""})


async def _write(outbox: Outbox[bytes], send: Any) -> None:
    while True:
        frame = await outbox.get()
        if frame is None:
            return
        more = outbox.take_ready()  # a stream is bytes: what queued up meanwhile goes in the same write
        body = b"".join((frame, *more)) if more else frame
        await send({"type": "http.response.body", "body": body, "more_body": True})


async def _ping(outbox: Outbox[bytes], keep_alive: float) -> None:
    while True:
        await asyncio.sleep(keep_alive)
        outbox.put_control(p.SSE_KEEP_ALIVE)


async def _wait_disconnect(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _last_words(send: Any) -> None:
    """Tells a slow client why its stream ends, if its connection can still take it."""
    message = "Slow consumer: the event buffer is full; subscribe again."
    error = orjson.dumps({"errors": [graphql_error(message, "SLOW_CONSUMER")]})
    with contextlib.suppress(Exception):
        async with asyncio.timeout(_LAST_WORDS_SECONDS):
            await send({"type": "http.response.body", "body": p.sse_event(p.NEXT, error), "more_body": True})
            await send({"type": "http.response.body", "body": _COMPLETE, "more_body": True})


def _params(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    if scope.get("method") == "GET":
        raw = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        params: dict[str, Any] = {name: values[-1] for name, values in raw.items()}
        for name in ("variables", "extensions"):
            if isinstance(params.get(name), str) and params[name]:
                try:
                    params[name] = orjson.loads(params[name])
                except orjson.JSONDecodeError as exc:
                    raise ValueError(f"The {name} parameter is not valid JSON.") from exc
    else:
        try:
            params = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ValueError("The request body is not valid JSON.") from exc
        if not isinstance(params, dict):
            raise ValueError("The request body must be a JSON object.")
    if not isinstance(params.get("query"), str) or not params["query"].strip():
        raise ValueError("The request has no query string.")
    variables = params.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError("variables must be a JSON object.")
    params["variables"] = variables
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise ValueError("operationName must be a string.")
    return params


async def _json(send: Any, status: int, errors: list[Any], headers: dict[str, str] | None = None) -> None:
    body = orjson.dumps({"errors": errors})
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
