"""Fault injection for every mock legacy system, switchable at run time.

Wrap a mock's ASGI app with :class:`FaultInjection`; the wrapped app then
answers ``GET /__admin/faults`` (the current faults) and ``PUT /__admin/faults``
(a JSON object with any of the fields of :class:`Faults`; missing fields keep
their value, ``{"reset": true}`` clears all). Tests and operators use it to
break a system on purpose:

* ``latency_ms``: added before every answer (``jitter_ms`` spreads it);
* ``error_rate``: share of requests answered with ``error_status``;
* ``outage``: every request fails at the connection level (the socket is
  closed without an answer where the server allows it, otherwise 503);
* ``malformed_rate``: share of answers whose body is replaced with garbage
  that is not what the protocol promises (half an HTML error page).

The admin endpoint itself is never faulted. Faults apply to HTTP only; a
mock without HTTP (the talent database) exposes the same :class:`Faults`
object to the code that opens its connections.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import asdict, dataclass, fields
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ADMIN_PATH = "/__admin/faults"
_MALFORMED = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gate"


@dataclass
class Faults:
    latency_ms: int = 0
    jitter_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    outage: bool = False
    malformed_rate: float = 0.0

    def update(self, changes: dict[str, Any]) -> None:
        if changes.get("reset"):
            for name, value in asdict(Faults()).items():
                setattr(self, name, value)
        for f in fields(self):
            if f.name in changes:
                current = getattr(self, f.name)
                setattr(self, f.name, type(current)(changes[f.name]))

    async def delay(self, rng: random.Random) -> None:
        if self.latency_ms or self.jitter_ms:
            await asyncio.sleep(max(0, self.latency_ms + rng.uniform(-self.jitter_ms, self.jitter_ms)) / 1000)


class FaultInjection:
    """ASGI middleware: applies :class:`Faults` to every request but the admin endpoint."""

    def __init__(self, app: ASGIApp, faults: Faults | None = None, *, seed: int = 0) -> None:
        self.app = app
        self.faults = faults or Faults()
        self._rng = random.Random(seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == ADMIN_PATH:
            await self._admin(scope, receive, send)
            return
        faults = self.faults
        await faults.delay(self._rng)
        if faults.outage:
            await _answer(send, 503, b"", "text/plain", extra=[(b"connection", b"close")])
            return
        if faults.error_rate and self._rng.random() < faults.error_rate:
            await _answer(send, faults.error_status, b"Service Unavailable", "text/plain")
            return
        if faults.malformed_rate and self._rng.random() < faults.malformed_rate:
            await self.app(scope, receive, _garbling(send))
            return
        await self.app(scope, receive, send)

    async def _admin(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "PUT":
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("expected a JSON object")
                self.faults.update(changes)
            except (ValueError, TypeError) as exc:
                await _answer(send, 400, json.dumps({"error": str(exc)}).encode(), "application/json")
                return
        await _answer(send, 200, json.dumps(asdict(self.faults)).encode(), "application/json")


def _garbling(send: Send) -> Send:
    """Wraps ``send`` so that the response body becomes a truncated HTML page."""

    async def garbled(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(_MALFORMED)).encode()))
            await send({**message, "headers": headers})
        elif message["type"] == "http.response.body" and not message.get("more_body"):
            await send({"type": "http.response.body", "body": _MALFORMED})

    return garbled


async def _answer(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})
