"""The real Redis for tests (``PARKGRAPH_TEST_REDIS_URL``), each use under a key prefix of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as redis_asyncio

from gateway.state.redis_store import RedisStore

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    return os.environ.get("PARKGRAPH_TEST_REDIS_URL", DEFAULT_URL)


def unique_prefix() -> str:
    """A key prefix no other test (or parallel run) uses."""
    return f"parkgraph-test:{uuid.uuid4().hex[:12]}:"


@asynccontextmanager
async def redis_store(prefix: str | None = None) -> AsyncIterator[RedisStore]:
    """A :class:`RedisStore` on the test Redis; its keys are deleted when the block ends."""
    prefix = prefix or unique_prefix()
    store = RedisStore.from_url(redis_url(), prefix=prefix)
    try:
        yield store
    finally:
        await delete_prefix(prefix)
        await store.close()


async def delete_prefix(prefix: str) -> None:
    client = redis_asyncio.Redis.from_url(redis_url())
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
