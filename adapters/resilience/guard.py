"""One guard per legacy system: the deadline, timeout, retries, breaker, spans and last good data of its calls.

An adapter client owns a :class:`LegacyGuard` and sends every legacy call
through :meth:`LegacyGuard.call`::

    data = await self.guard.call("queryUnits", lambda limit: self._post(body, timeout=limit))

which refuses at once when the breaker is open (:class:`CircuitOpen`) or the
request's deadline has passed (:class:`LegacyTimeout`); bounds the call by
``min(system timeout, time left)`` (``limit`` is handed to the attempt, and
the whole attempt is cancelled past it); retries reads per the system's
:class:`RetryPolicy`; and tells the breaker how the call ended.

Read methods are wrapped with :func:`last_good` so that a read that fails
because the system is unavailable or slow answers the last good copy of the
same read, marked stale (:mod:`adapters.resilience.stale`).
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from opentelemetry.trace import SpanKind, Status, StatusCode

from adapters.errors import AdapterError, CircuitOpen, LegacyTimeout, LegacyUnavailable
from adapters.resilience import telemetry
from adapters.resilience.breaker import CircuitBreaker
from adapters.resilience.deadline import remaining, time_limit
from adapters.resilience.retry import NO_RETRY, RetryPolicy, Sleep, retrying
from adapters.resilience.stale import LastGood, Staleness, last_good_from_env, now, record_stale

T = TypeVar("T")
P = ParamSpec("P")
DEFAULT_RETRY = RetryPolicy()


class LegacyGuard:
    """The resilience policy of one legacy system (see the module docstring)."""

    def __init__(
        self,
        system: str,
        *,
        timeout: float = 5.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        breaker: CircuitBreaker | None = None,
        last_good: LastGood | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.system = system
        self.timeout = timeout
        self.retry = retry
        self.breaker = breaker if breaker is not None else CircuitBreaker(system)
        self.last_good = last_good if last_good is not None else last_good_from_env()
        self.sleep = sleep

    async def call(self, operation: str, attempt: Callable[[float], Awaitable[T]], *, idempotent: bool = True) -> T:
        """One legacy call: ``attempt(limit)`` under the breaker, the deadline and (for reads) retries."""
        policy = self.retry if idempotent else NO_RETRY
        return await retrying(lambda: self._once(operation, attempt), policy, sleep=self.sleep)

    async def _once(self, operation: str, attempt: Callable[[float], Awaitable[T]]) -> T:
        async with self.bounded(operation) as limit:
            return await attempt(limit)

    @asynccontextmanager
    async def bounded(self, operation: str) -> AsyncIterator[float]:
        """One legacy call as a block (for clients that hold a connection): yields its time limit in seconds.

        Refuses when the breaker is open or the deadline has passed, cancels the
        block past the limit (:class:`LegacyTimeout`), tells the breaker how it
        ended and wraps it in the legacy span. Not retried.
        """
        system = self.system
        if not self.breaker.allow():
            telemetry.legacy_calls.add(1, {"system": system, "outcome": "circuit_open"})
            retry_in = self.breaker.retry_in()
            raise CircuitOpen(system, f"circuit open after repeated failures; next probe in {retry_in:.1f}s")
        limit = time_limit(self.timeout)
        if limit <= 0:
            self.breaker.abandoned()
            raise LegacyTimeout(system, f"{operation} not sent: the request's deadline has passed")
        started = time.perf_counter()
        outcome = "ok"
        with telemetry.tracer.start_as_current_span(
            f"legacy {system}",
            kind=SpanKind.CLIENT,
            attributes={"legacy.system": system, "legacy.operation": operation},
        ) as span:
            try:
                async with asyncio.timeout(limit):
                    yield limit
            except TimeoutError as exc:
                outcome = "timeout"
                self.breaker.failed()
                error = LegacyTimeout(system, f"{operation}: no answer within {limit:.3g}s")
                _failed(span, error)
                raise error from exc
            except (LegacyUnavailable, LegacyTimeout) as exc:
                outcome = "timeout" if isinstance(exc, LegacyTimeout) else "unavailable"
                self.breaker.failed()
                _failed(span, exc)
                raise
            except AdapterError as exc:
                outcome = exc.code.lower()
                self.breaker.succeeded()  # the system answered; the answer was a refusal or nonsense
                _failed(span, exc)
                raise
            except BaseException:
                outcome = "aborted"
                self.breaker.abandoned()
                raise
            else:
                self.breaker.succeeded()
            finally:
                telemetry.legacy_calls.add(1, {"system": system, "outcome": outcome})
                telemetry.legacy_duration.record(time.perf_counter() - started, {"system": system})

    async def read(self, operation: str, key: str, fetch: Callable[[], Awaitable[T]]) -> T:
        """``fetch()``, remembered as the last good answer; when the system fails, that answer marked stale."""
        with telemetry.tracer.start_as_current_span(f"adapter {self.system}.{operation}"):
            try:
                value = await fetch()
            except (LegacyUnavailable, LegacyTimeout) as exc:
                remembered = await self.last_good.get(self.system, operation, key)
                if remembered is None:
                    raise
                telemetry.stale_served.add(1, {"system": self.system, "operation": operation, "code": exc.code})
                record_stale(Staleness(self.system, remembered.fetched_at))
                stale: T = remembered.value
                return stale
            await self.last_good.put(self.system, operation, key, value, now())
            return value

    async def write(self, operation: str, attempt: Callable[[float], Awaitable[T]]) -> T:
        """A write: one attempt, never retried here (its caller retries with the same idempotency key)."""
        with telemetry.tracer.start_as_current_span(f"adapter {self.system}.{operation}"):
            return await self.call(operation, attempt, idempotent=False)

    def time_left(self) -> float | None:
        return remaining()


def _failed(span: Any, error: AdapterError) -> None:
    span.set_status(Status(StatusCode.ERROR, error.code))
    span.set_attribute("error.code", error.code)


class Guarded(Protocol):
    guard: LegacyGuard


G = TypeVar("G", bound=Guarded)


def last_good(
    method: Callable[Concatenate[G, P], Awaitable[T]],
) -> Callable[Concatenate[G, P], Awaitable[T]]:
    """Decorates an adapter read: answered through :meth:`LegacyGuard.read`, keyed by its arguments."""
    operation = method.__name__

    @functools.wraps(method)
    async def wrapper(self: G, /, *args: P.args, **kwargs: P.kwargs) -> T:
        key = repr((args, sorted(kwargs.items())))
        return await self.guard.read(operation, key, lambda: method(self, *args, **kwargs))

    return wrapper
