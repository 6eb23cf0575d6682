"""Serve ASGI apps over real HTTP on free loopback ports, inside the test's event loop.

Adapter tests talk to the mocks over real sockets (the quirks live in the
protocol: encodings, status codes, headers), so the mock runs under uvicorn on
a port the OS picks; nothing binds a fixed port. :func:`live_servers` serves
several apps at once and stops them together (each uvicorn shutdown takes a
poll interval; a dozen in a row would add seconds to every test).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import uvicorn


@asynccontextmanager
async def live_server(app: Any) -> AsyncIterator[str]:
    """Yields the base URL (``http://127.0.0.1:PORT``) while ``app`` is served."""
    async with live_servers({"app": app}) as urls:
        yield urls["app"]


@asynccontextmanager
async def live_servers(apps: Mapping[str, Any]) -> AsyncIterator[dict[str, str]]:
    """Yields each app's base URL by its name while all of them are served."""
    running: list[tuple[uvicorn.Server, asyncio.Task[None], socket.socket]] = []
    urls: dict[str, str] = {}
    try:
        for name, app in apps.items():
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            config = uvicorn.Config(
                app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=2
            )
            server = uvicorn.Server(config)
            running.append((server, asyncio.create_task(server.serve(sockets=[sock])), sock))
            urls[name] = f"http://127.0.0.1:{sock.getsockname()[1]}"
        for server, task, _ in running:
            for _ in range(500):
                if server.started or task.done():
                    break
                await asyncio.sleep(0.01)
            if task.done():
                task.result()
        yield urls
    finally:
        for server, _, _ in running:
            server.should_exit = True
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(task for _, task, _ in running), return_exceptions=True), timeout=10
        )
        for _, _, sock in running:
            sock.close()
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failures:
            raise failures[0]
