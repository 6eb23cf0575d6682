"""Telling gateway replicas that the graph changed: Redis pub/sub, PostgreSQL NOTIFY (the fallback when Redis
is not configured and the registry's state is in PostgreSQL), or nothing (the gateways then poll).

The message is the new version number. It is only a nudge: a gateway that
misses it (Redis down, a replica starting) still catches up by polling the
registry, and a gateway never trusts the message for the SDL itself.
"""

from __future__ import annotations

import logging
from typing import Protocol

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

DEFAULT_CHANNEL = "parkgraph:registry:supergraph"


class Notifier(Protocol):
    async def notify(self, version: int) -> None: ...

    async def close(self) -> None: ...


class NullNotifier:
    """No pub/sub: gateways find new versions by polling."""

    async def notify(self, version: int) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisNotifier:
    """Publishes each new version number on a Redis channel every gateway subscribes to."""

    def __init__(self, url: str, channel: str = DEFAULT_CHANNEL) -> None:
        self.channel = channel
        self._client = redis_asyncio.Redis.from_url(url)

    async def notify(self, version: int) -> None:
        try:
            await self._client.publish(self.channel, str(version))
        except (RedisError, OSError) as exc:
            # The change is stored; replicas will see it on their next poll.
            logger.warning("could not announce supergraph version %s on Redis: %s", version, exc)

    async def close(self) -> None:
        await self._client.aclose()


class PostgresNotifier:
    """Sends each new version number with ``NOTIFY`` on the registry's own PostgreSQL database.

    Gateways ``LISTEN`` on the same channel (:func:`gateway.registry.listen.listen_postgres`); the engine is the
    registry store's, so no connection of its own is kept.
    """

    def __init__(self, engine: AsyncEngine, channel: str = DEFAULT_CHANNEL) -> None:
        self.engine = engine
        self.channel = channel

    async def notify(self, version: int) -> None:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(
                    text("SELECT pg_notify(:channel, :version)"), {"channel": self.channel, "version": str(version)}
                )
                await connection.commit()  # NOTIFY is delivered when its transaction commits
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("could not announce supergraph version %s on PostgreSQL: %s", version, exc)

    async def close(self) -> None:
        return None  # the engine is the store's, closed with it
