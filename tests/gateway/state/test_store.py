"""Both state stores behave alike: expiry, tags, token buckets (Redis: the real server)."""

from __future__ import annotations

import asyncio

from gateway.state import StateStore


async def test_values_round_trip_and_expire(store: StateStore) -> None:
    await store.set("a", b"1")
    await store.set("short", b"2", ttl=0.05)
    assert await store.get("a") == b"1"
    assert await store.get_many(["a", "missing", "short"]) == [b"1", None, b"2"]
    await asyncio.sleep(0.12)
    assert await store.get("short") is None
    await store.delete(["a"])
    assert await store.get("a") is None


async def test_invalidate_drops_only_the_tagged_values(store: StateStore) -> None:
    await store.set_many({"p1": b"x", "p2": b"y"}, ttl=30, tags=["Product"])
    await store.set_many({"u1": b"z"}, ttl=30, tags=["User"])
    await store.set_many({"both": b"w"}, ttl=30, tags=["Product", "User"])
    assert await store.invalidate(["Product"]) == 3
    assert await store.get_many(["p1", "p2", "u1", "both"]) == [None, None, b"z", None]
    assert await store.invalidate(["Product"]) == 0  # the tag is gone with its values


async def test_bucket_grants_its_burst_then_refuses_with_a_retry_hint(store: StateStore) -> None:
    grants = [await store.take("b", rate=1.0, burst=3) for _ in range(4)]
    assert [g.granted for g in grants] == [1, 1, 1, 0]
    assert 0.5 < grants[3].retry_after <= 1.0  # one token per second, almost nothing refilled yet


async def test_bucket_refills_at_its_rate(store: StateStore) -> None:
    assert (await store.take("b", rate=20.0, burst=1)).granted == 1
    assert (await store.take("b", rate=20.0, burst=1)).granted == 0
    await asyncio.sleep(0.08)  # 1.6 tokens' worth at 20/s, capped at the burst of 1
    assert (await store.take("b", rate=20.0, burst=1)).granted == 1


async def test_bucket_grants_part_of_a_larger_want(store: StateStore) -> None:
    first = await store.take("b", rate=0.1, burst=5, want=3)
    second = await store.take("b", rate=0.1, burst=5, want=3)
    assert (first.granted, second.granted) == (3, 2)


async def test_concurrent_takers_never_overdraw(store: StateStore) -> None:
    grants = await asyncio.gather(*(store.take("b", rate=0.01, burst=10) for _ in range(40)))
    assert sum(g.granted for g in grants) == 10
