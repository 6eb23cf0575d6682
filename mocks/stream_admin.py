"""What the streaming mocks (environment, safety) share: the ``/__admin/stream`` endpoint and a background feed.

``GET /__admin/stream`` answers the stream faults and the mock's counters;
``PUT`` with a JSON object changes the faults first (400 on anything else).
The endpoint sits beside :class:`mocks.faults.FaultInjection`, so the HTTP
faults never reach it. :func:`running` keeps a feed (the field units, the
sensor publisher) running for the lifespan of the registry app.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

STREAM_ADMIN = "/__admin/stream"


class StreamFaults(Protocol):
    """The faults of a stream: changed by a JSON object, shown as one."""

    def update(self, changes: dict[str, Any]) -> None: ...

    def as_dict(self) -> dict[str, Any]: ...


def is_stream_admin(scope: Scope) -> bool:
    return bool(scope["type"] == "http" and scope["path"] == STREAM_ADMIN)


async def serve_stream_admin(
    scope: Scope, receive: Receive, send: Send, faults: StreamFaults, counters: Callable[[], Mapping[str, object]]
) -> None:
    """Answers ``GET``/``PUT /__admin/stream``: the faults (updated first on ``PUT``) and ``counters()``."""
    request = Request(scope, receive)
    if request.method == "PUT":
        try:
            changes = json.loads(await request.body() or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("expected a JSON object")
            faults.update(changes)
        except (ValueError, TypeError, AttributeError) as exc:
            await JSONResponse({"error": str(exc)}, status_code=400)(scope, receive, send)
            return
    await JSONResponse({**faults.as_dict(), **counters()})(scope, receive, send)


@contextlib.asynccontextmanager
async def running(feed: Callable[[], Coroutine[Any, Any, None]] | None) -> AsyncIterator[None]:
    """Runs ``feed()`` as a task while the block runs (nothing when ``feed`` is None); cancels it on the way out."""
    task = asyncio.create_task(feed()) if feed is not None else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
