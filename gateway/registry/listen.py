"""Hearing that the graph changed: a gateway's side of the registry's nudges, over Redis pub/sub or PostgreSQL
LISTEN/NOTIFY.

Each listener runs until cancelled, calls ``on_nudge`` for every message on
its channel (and once after each (re)subscription, for what was announced
while it was not listening), keeps ``subscribed`` set while it is listening,
and reconnects with backoff when the connection is lost. The message is only a
nudge; ``on_nudge`` fetches the supergraph from the registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs; asyncpg is also SQLAlchemy's driver here
import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

Nudge = Callable[[], Awaitable[object]]

# Without traffic a dead PostgreSQL connection goes unnoticed: probe it this often.
KEEPALIVE_SECONDS = 15.0
_MAX_BACKOFF = 30.0


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).split("://", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def asyncpg_dsn(url: str) -> str:
    """``postgresql+asyncpg://…`` and the like → the plain ``postgresql://…`` asyncpg connects to."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.split("+", 1)[0] in ("postgresql", "postgres") else url


async def listen_redis(url: str, channel: str, on_nudge: Nudge, subscribed: asyncio.Event) -> None:
    """Subscribes to ``channel`` on Redis; runs until cancelled."""
    backoff = 0.5
    while True:
        client = redis_asyncio.Redis.from_url(url)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(channel)
            subscribed.set()
            backoff = 0.5
            await on_nudge()  # whatever was announced while we were not listening
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    await on_nudge()
        except (RedisError, OSError) as exc:
            logger.warning("registry notifications lost (%s); polling until Redis is back", exc)
        finally:
            subscribed.clear()
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                await client.aclose()
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, _MAX_BACKOFF)


async def listen_postgres(
    url: str, channel: str, on_nudge: Nudge, subscribed: asyncio.Event, *, keepalive: float = KEEPALIVE_SECONDS
) -> None:
    """LISTENs on ``channel`` in the registry's PostgreSQL database; runs until cancelled."""
    backoff = 0.5
    nudged = asyncio.Event()

    def heard(*_args: Any) -> None:
        nudged.set()  # called in the loop by asyncpg; nudges during a refresh coalesce into one more

    while True:
        nudged.clear()
        connection: Any = None
        try:
            connection = await asyncpg.connect(asyncpg_dsn(url), timeout=5)
            await connection.add_listener(channel, heard)
            subscribed.set()
            backoff = 0.5
            await on_nudge()
            while True:
                try:
                    await asyncio.wait_for(nudged.wait(), keepalive)
                except TimeoutError:
                    await connection.execute("SELECT 1", timeout=5)
                    continue
                nudged.clear()
                await on_nudge()
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
            logger.warning("registry notifications lost (%s); polling until PostgreSQL is back", exc)
        finally:
            subscribed.clear()
            if connection is not None:
                with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                    await connection.close(timeout=2)
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, _MAX_BACKOFF)
