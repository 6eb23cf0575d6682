"""Fixtures: a state store of each kind; the Redis one under a key prefix of its own, removed afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.state import MemoryStore, StateStore
from tests.support.redis import redis_store


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[StateStore]:
    if request.param == "memory":
        yield MemoryStore()
        return
    async with redis_store() as shared:
        yield shared
