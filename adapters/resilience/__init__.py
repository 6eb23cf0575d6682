"""Resilience shared by every adapter: deadlines, timeouts, retries, circuit breakers, last good data, telemetry.

* :mod:`~adapters.resilience.deadline` — the request's deadline in a context variable;
* :mod:`~adapters.resilience.retry` — :func:`retrying`, the one retry helper (jittered backoff, reads only);
* :mod:`~adapters.resilience.breaker` — :class:`CircuitBreaker`, one per legacy system;
* :mod:`~adapters.resilience.stale` — last good answers and the stale notes of a request;
* :mod:`~adapters.resilience.guard` — :class:`LegacyGuard`, all of the above around each legacy call,
  and :func:`last_good` for read methods;
* :mod:`~adapters.resilience.telemetry` — spans, metrics and ``traceparent`` on outgoing HTTP.

Errors are those of :mod:`adapters.errors`; the breaker's refusal is
:class:`~adapters.errors.CircuitOpen`, a ``LegacyUnavailable``.
"""

from __future__ import annotations

from adapters.resilience.breaker import BreakerState, CircuitBreaker
from adapters.resilience.deadline import deadline_scope, remaining
from adapters.resilience.guard import LegacyGuard, last_good
from adapters.resilience.retry import NO_RETRY, RetryPolicy, retrying
from adapters.resilience.stale import LastGood, MemoryLastGood, RedisLastGood, Staleness, record_stale, stale_sink
from adapters.resilience.telemetry import legacy_http, traced

__all__ = [
    "NO_RETRY",
    "BreakerState",
    "CircuitBreaker",
    "LastGood",
    "LegacyGuard",
    "MemoryLastGood",
    "RedisLastGood",
    "RetryPolicy",
    "Staleness",
    "deadline_scope",
    "last_good",
    "legacy_http",
    "record_stale",
    "remaining",
    "retrying",
    "stale_sink",
    "traced",
]
