"""The one retry helper of every adapter: jittered exponential backoff for reads, bounded by the deadline.

``await retrying(attempt, policy, system=...)`` runs ``attempt()`` and, when
it raises :class:`~adapters.errors.LegacyUnavailable` (or
:class:`~adapters.errors.LegacyTimeout` if the policy says so), waits and
runs it again, at most ``policy.retries`` more times:

* the wait before retry *n* (from 0) is drawn uniformly from
  ``[base·2ⁿ / 2, base·2ⁿ]`` ("equal jitter"), capped at ``max_backoff``, so
  that clients thrown off together do not come back together;
* a system that says when to come back (HTTP 429 ``Retry-After``, carried as
  ``LegacyUnavailable.retry_after``) is waited for instead, unless it asks
  for more than ``max_retry_wait``: then the error stands;
* no retry starts if its wait would pass the request's deadline
  (:mod:`adapters.resilience.deadline`): the error stands.

Writes are never retried here: their callers pass ``retries=0`` or do not
call this at all; a write whose answer was lost is the client's to retry with
its idempotency key.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from adapters.errors import LegacyTimeout, LegacyUnavailable
from adapters.resilience.deadline import remaining

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a legacy system's reads are retried."""

    retries: int = 2
    base: float = 0.05  # seconds before the first retry (upper bound of its jittered wait)
    max_backoff: float = 2.0
    max_retry_wait: float = 10.0  # the longest Retry-After honoured
    retry_timeouts: bool = False  # a timed-out read has already spent its time: usually not worth another go

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """The jittered wait before retry ``attempt`` (0 for the first retry)."""
        ceiling = min(self.max_backoff, self.base * 2.0**attempt)
        draw = (rng or random).random()
        return ceiling / 2 + draw * ceiling / 2


NO_RETRY = RetryPolicy(retries=0)


async def retrying(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    sleep: Sleep = asyncio.sleep,
    rng: random.Random | None = None,
    on_retry: Callable[[int, Exception], None] | None = None,
) -> T:
    """The result of ``attempt()``, retried as the module docstring says."""
    number = 0
    while True:
        try:
            return await attempt()
        except (LegacyUnavailable, LegacyTimeout) as exc:
            wait = _wait_before_retry(exc, number, policy, rng)
            if wait is None:
                raise
            if on_retry is not None:
                on_retry(number, exc)
        await sleep(wait)
        number += 1


def _wait_before_retry(exc: Exception, number: int, policy: RetryPolicy, rng: random.Random | None) -> float | None:
    if number >= policy.retries:
        return None
    if isinstance(exc, LegacyTimeout) and not policy.retry_timeouts:
        return None
    asked = exc.retry_after if isinstance(exc, LegacyUnavailable) else None
    if asked is not None:
        if asked > policy.max_retry_wait:
            return None
        wait = asked
    else:
        wait = policy.backoff(number, rng)
    left = remaining()
    if left is not None and wait >= left:
        return None  # the retry could not finish before the deadline
    return wait
