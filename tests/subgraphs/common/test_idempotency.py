"""Idempotent mutations: same key, same result, one write; another payload under the key is a conflict."""

from __future__ import annotations

import asyncio

import pytest

from schema.errors import IdempotencyConflict
from subgraphs.common.idempotency import IdempotencyStore


async def test_same_key_same_result_one_write() -> None:
    store = IdempotencyStore()
    writes: list[str] = []

    async def write() -> str:
        writes.append("w")
        await asyncio.sleep(0.01)
        return f"case-{len(writes)}"

    results = await asyncio.gather(*(store.run("submit", "k1", payload={"a": 1}, operation=write) for _ in range(3)))
    again = await store.run("submit", "k1", payload={"a": 1}, operation=write)
    assert results == ["case-1"] * 3 and again == "case-1"
    assert writes == ["w"]


async def test_different_payload_under_the_same_key_conflicts() -> None:
    store = IdempotencyStore()

    async def write() -> int:
        return 1

    await store.run("submit", "k1", payload={"a": 1, "b": 2}, operation=write)
    # key order does not matter
    assert await store.run("submit", "k1", payload={"b": 2, "a": 1}, operation=write) == 1
    with pytest.raises(IdempotencyConflict) as info:
        await store.run("submit", "k1", payload={"a": 2}, operation=write)
    assert info.value.code == "IDEMPOTENCY_CONFLICT"
    # keys are per scope (mutation)
    assert await store.run("book", "k1", payload={"a": 2}, operation=write) == 1


async def test_failed_write_is_not_remembered() -> None:
    store = IdempotencyStore()
    attempts: list[int] = []

    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("legacy down")
        return "ok"

    with pytest.raises(RuntimeError):
        await store.run("submit", "k", payload={}, operation=flaky)
    assert await store.run("submit", "k", payload={}, operation=flaky) == "ok"
    assert len(attempts) == 2


async def test_entries_expire() -> None:
    now = [0.0]
    store = IdempotencyStore(ttl_seconds=10, clock=lambda: now[0])
    count: list[int] = []

    async def write() -> int:
        count.append(1)
        return len(count)

    assert await store.run("s", "k", payload={}, operation=write) == 1
    now[0] = 11
    assert await store.run("s", "k", payload={}, operation=write) == 2


async def test_a_write_that_timed_out_is_reported_as_of_unknown_outcome_with_its_key() -> None:
    from adapters.errors import LegacyTimeout
    from schema.errors import WriteOutcomeUnknown

    store = IdempotencyStore()
    attempts = 0

    async def lost_answer() -> str:
        nonlocal attempts
        attempts += 1
        raise LegacyTimeout("approvals", "no answer within 1s")

    with pytest.raises(WriteOutcomeUnknown) as info:
        await store.run("submitApplication", "key-7", payload={"a": 1}, operation=lost_answer)
    assert info.value.code == "WRITE_OUTCOME_UNKNOWN"
    assert info.value.extensions == {"idempotencyKey": "key-7", "legacySystem": "approvals"}

    async def done() -> str:
        return "case-1"

    # Nothing was remembered: the retry with the same key runs (the legacy system deduplicates by key).
    assert await store.run("submitApplication", "key-7", payload={"a": 1}, operation=done) == "case-1"
    assert attempts == 1
