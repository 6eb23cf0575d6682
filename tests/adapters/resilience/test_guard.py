"""The legacy guard: deadline and timeout bounds, the breaker around calls, last good data marked stale."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

import pytest

from adapters.errors import CircuitOpen, LegacyTimeout, LegacyUnavailable, NotFound
from adapters.resilience import (
    BreakerState,
    CircuitBreaker,
    LegacyGuard,
    MemoryLastGood,
    RetryPolicy,
    Staleness,
    deadline_scope,
    last_good,
    stale_sink,
)


def guard(**options: object) -> LegacyGuard:
    options.setdefault("retry", RetryPolicy(retries=0))
    options.setdefault("last_good", MemoryLastGood())
    return LegacyGuard("registry", **options)  # type: ignore[arg-type]


async def test_a_call_is_cut_at_the_request_deadline_not_the_system_timeout() -> None:
    seen: list[float] = []

    async def slow(limit: float) -> str:
        seen.append(limit)
        await asyncio.sleep(5)
        return "late"

    started = time.monotonic()
    with deadline_scope(0.2), pytest.raises(LegacyTimeout):
        await guard(timeout=10).call("op", slow)
    assert time.monotonic() - started < 1.0
    assert 0 < seen[0] <= 0.2


async def test_a_call_is_cut_at_the_system_timeout_without_a_deadline() -> None:
    async def slow(limit: float) -> str:
        await asyncio.sleep(5)
        return "late"

    started = time.monotonic()
    with pytest.raises(LegacyTimeout):
        await guard(timeout=0.1).call("op", slow)
    assert time.monotonic() - started < 1.0


async def test_nothing_is_sent_once_the_deadline_has_passed() -> None:
    calls: list[float] = []

    async def attempt(limit: float) -> str:
        calls.append(limit)
        return "ok"

    with deadline_scope(0), pytest.raises(LegacyTimeout, match="deadline"):
        await guard().call("op", attempt)
    assert calls == []


async def test_the_breaker_opens_on_failures_and_answers_without_calling() -> None:
    calls = 0

    async def down(limit: float) -> str:
        nonlocal calls
        calls += 1
        raise LegacyUnavailable("registry", "refused")

    g = guard(breaker=CircuitBreaker("registry-test", failure_threshold=2, reset_timeout=60))
    for _ in range(2):
        with pytest.raises(LegacyUnavailable):
            await g.call("op", down)
    with pytest.raises(CircuitOpen):
        await g.call("op", down)
    assert calls == 2 and g.breaker.state is BreakerState.OPEN


async def test_an_answer_that_is_a_refusal_keeps_the_breaker_closed() -> None:
    async def missing(limit: float) -> str:
        raise NotFound("registry", "no such enterprise")

    g = guard(breaker=CircuitBreaker("registry-test", failure_threshold=1))
    with pytest.raises(NotFound):
        await g.call("op", missing)
    assert g.breaker.state is BreakerState.CLOSED


class Registry:
    """A stand-in adapter client with one read decorated like the real ones."""

    def __init__(self) -> None:
        self.guard = guard()
        self.up = True
        self.calls = 0

    @last_good
    async def fetch_names(self, codes: list[str]) -> dict[str, str]:
        self.calls += 1

        async def attempt(limit: float) -> dict[str, str]:
            if not self.up:
                raise LegacyUnavailable("registry", "down")
            return {code: f"name of {code}" for code in codes}

        return await self.guard.call("names", attempt)


async def test_a_failed_read_answers_the_last_good_copy_and_notes_it_stale() -> None:
    client = Registry()
    fresh = await client.fetch_names(["a", "b"])
    client.up = False
    notes: list[Staleness] = []
    token = stale_sink.set(notes)
    try:
        again = await client.fetch_names(["a", "b"])
    finally:
        stale_sink.reset(token)
    assert again == fresh
    assert [n.system for n in notes] == ["registry"]
    assert isinstance(notes[0].fetched_at, datetime) and notes[0].fetched_at.tzinfo is not None
    assert notes[0].to_json()["stale"] is True


async def test_a_failed_read_without_a_last_good_copy_fails() -> None:
    client = Registry()
    await client.fetch_names(["a"])
    client.up = False
    with pytest.raises(LegacyUnavailable):
        await client.fetch_names(["a", "b"])  # other arguments: another read, never fetched


async def test_fresh_reads_note_nothing() -> None:
    client = Registry()
    notes: list[Staleness] = []
    token = stale_sink.set(notes)
    try:
        await client.fetch_names(["a"])
        await client.fetch_names(["a"])
    finally:
        stale_sink.reset(token)
    assert notes == [] and client.calls == 2
