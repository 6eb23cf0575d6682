"""Last good answers in the real Redis, shared by replicas."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from adapters.resilience import RedisLastGood
from tests.support.redis import delete_prefix, redis_url, unique_prefix

pytestmark = pytest.mark.redis


@dataclass(frozen=True)
class Park:
    code: str
    name: str


async def test_one_replica_reads_what_another_stored() -> None:
    prefix = unique_prefix()
    writer = RedisLastGood(redis_url(), prefix=prefix)
    reader = RedisLastGood(redis_url(), prefix=prefix)
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    try:
        try:
            await writer._redis.ping()
        except Exception as exc:  # pragma: no cover - Redis absent outside CI
            if os.environ.get("PARKGRAPH_REQUIRE_SERVICES"):
                raise
            pytest.skip(f"Redis unreachable: {exc}")
        await writer.put("registry", "fetch_parks", "(['P1'],)", [Park("P1", "高新区")], when)
        remembered = await reader.get("registry", "fetch_parks", "(['P1'],)")
        assert remembered is not None
        assert remembered.value == [Park("P1", "高新区")] and remembered.fetched_at == when
        assert await reader.get("registry", "fetch_parks", "(['P2'],)") is None
    finally:
        await delete_prefix(prefix)
        await writer.aclose()
        await reader.aclose()
