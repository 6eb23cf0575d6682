"""The shared retry helper: jittered exponential backoff for unavailable reads, Retry-After, the deadline."""

from __future__ import annotations

import random

import pytest

from adapters.errors import LegacyTimeout, LegacyUnavailable, Rejected
from adapters.resilience import RetryPolicy, deadline_scope, retrying


class Flaky:
    """Fails with ``error`` the first ``failures`` times, then answers ``"ok"``."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "ok"


class Naps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


async def test_retries_unavailable_with_growing_jittered_waits() -> None:
    attempt, naps = Flaky(3, LegacyUnavailable("x", "down")), Naps()
    policy = RetryPolicy(retries=3, base=0.1, max_backoff=0.3)
    assert await retrying(attempt, policy, sleep=naps, rng=random.Random(1)) == "ok"
    assert attempt.calls == 4
    # Ceilings 0.1, 0.2, then capped at 0.3; each wait is jittered within [ceiling / 2, ceiling].
    assert all(c / 2 <= nap <= c for nap, c in zip(naps, [0.1, 0.2, 0.3], strict=True))
    assert len(set(naps)) == 3


async def test_gives_up_after_the_retries_and_raises_the_last_error() -> None:
    attempt, naps = Flaky(5, LegacyUnavailable("x", "down")), Naps()
    with pytest.raises(LegacyUnavailable):
        await retrying(attempt, RetryPolicy(retries=2), sleep=naps)
    assert attempt.calls == 3 and len(naps) == 2


@pytest.mark.parametrize(
    "error",
    [
        Rejected("x", "business refusal"),  # the system answered: retrying changes nothing
        LegacyTimeout("x", "slow"),  # the time is spent already (retry_timeouts is off by default)
    ],
)
async def test_does_not_retry_answers_or_timeouts(error: Exception) -> None:
    attempt = Flaky(1, error)
    with pytest.raises(type(error)):
        await retrying(attempt, RetryPolicy(retries=3), sleep=Naps())
    assert attempt.calls == 1


async def test_waits_what_retry_after_asks_unless_it_is_too_long() -> None:
    attempt, naps = Flaky(1, LegacyUnavailable("x", "429", retry_after=1.5)), Naps()
    assert await retrying(attempt, RetryPolicy(max_retry_wait=2), sleep=naps) == "ok"
    assert naps == [1.5]
    attempt = Flaky(1, LegacyUnavailable("x", "429", retry_after=30))
    with pytest.raises(LegacyUnavailable):
        await retrying(attempt, RetryPolicy(max_retry_wait=2), sleep=Naps())
    assert attempt.calls == 1


async def test_never_waits_past_the_deadline() -> None:
    attempt, naps = Flaky(1, LegacyUnavailable("x", "down")), Naps()
    with deadline_scope(0.01), pytest.raises(LegacyUnavailable):
        await retrying(attempt, RetryPolicy(retries=3, base=1.0), sleep=naps)
    assert attempt.calls == 1 and naps == []
