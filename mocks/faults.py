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
  that is not what the protocol promises (half an HTML error page);
* ``delay_after_ms``: the request is served (a write is committed), then its
  answer is held back this long: the lost answer of a write that was done.
  Only for requests whose method is in ``delay_after_methods`` (comma
  separated, the writing methods by default) and whose path matches the
  ``delay_after_path`` glob (any path by default).

The admin endpoint itself is never faulted. Faults apply to HTTP only; a
mock without HTTP (the talent database) exposes the same :class:`Faults`
object to the code that opens its connections.
"""

from __future__ import annotations

import asyncio
import fnmatch
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
    delay_after_ms: int = 0
    delay_after_methods: str = "POST,PUT,PATCH,DELETE"
    delay_after_path: str = "*"

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

    def delays_answer(self, method: str, path: str) -> bool:
        """Whether the answer to ``method path`` is held back after the request was served."""
        if self.delay_after_ms <= 0:
            return False
        methods = {m.strip().upper() for m in self.delay_after_methods.split(",")}
        return method.upper() in methods and fnmatch.fnmatchcase(path, self.delay_after_path)


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
        if faults.delays_answer(scope["method"], scope["path"]):
            await _served_then_delayed(self.app, scope, receive, send, faults.delay_after_ms / 1000)
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


async def _served_then_delayed(app: ASGIApp, scope: Scope, receive: Receive, send: Send, seconds: float) -> None:
    """Runs ``app`` to the end (its write is done), keeps its answer, and sends it ``seconds`` later."""
    answer: list[Message] = []

    async def keep(message: Message) -> None:
        answer.append(message)

    await app(scope, receive, keep)
    await asyncio.sleep(seconds)
    for message in answer:
        await send(message)


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
