"""The fault injection middleware's lost-answer fault: the request is served, its answer held back."""

from __future__ import annotations

import asyncio
import time

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mocks.faults import ADMIN_PATH, FaultInjection


def _ledger_app() -> tuple[FaultInjection, list[str]]:
    """A tiny legacy system that records each write as it commits it."""
    committed: list[str] = []

    async def write(request: Request) -> JSONResponse:
        committed.append(request.url.path)
        return JSONResponse({"ok": True})

    async def read(request: Request) -> JSONResponse:
        return JSONResponse({"committed": len(committed)})

    app = Starlette(
        routes=[
            Route("/orders", write, methods=["POST"]),
            Route("/orders/query", write, methods=["POST"]),
            Route("/orders", read, methods=["GET"]),
        ]
    )
    return FaultInjection(app), committed


async def test_a_delayed_answer_comes_after_the_write_is_committed() -> None:
    app, committed = _ledger_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://legacy") as client:
        faults = (await client.put(ADMIN_PATH, json={"delay_after_ms": 300, "delay_after_path": "/orders"})).json()
        assert faults["delay_after_ms"] == 300
        started = time.monotonic()
        pending = asyncio.create_task(client.post("/orders"))
        await asyncio.sleep(0.1)
        assert committed == ["/orders"]  # done on the legacy side while the caller still waits
        assert not pending.done()
        response = await pending
        assert response.json() == {"ok": True}
        assert time.monotonic() - started >= 0.3


async def test_the_delay_applies_only_to_the_chosen_methods_and_paths() -> None:
    app, committed = _ledger_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://legacy") as client:
        await client.put(ADMIN_PATH, json={"delay_after_ms": 5000, "delay_after_path": "/orders"})
        # A read (GET) and a write to another path are answered at once.
        async with asyncio.timeout(1):
            assert (await client.get("/orders")).json() == {"committed": 0}
            assert (await client.post("/orders/query")).status_code == 200
        # Reset clears the fault: the write is answered at once again.
        await client.put(ADMIN_PATH, json={"reset": True})
        async with asyncio.timeout(1):
            assert (await client.post("/orders")).status_code == 200
    assert committed == ["/orders/query", "/orders"]
