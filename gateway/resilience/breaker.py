"""A circuit breaker per subgraph: opens after repeated failures, half-opens to probe, closes on success.

States::

    closed ──(failure_threshold failures in a row)──▶ open
    open ──(reset_timeout elapsed)──▶ half-open: one probe call goes through, the others are refused
    half-open ──probe succeeds──▶ closed        half-open ──probe fails──▶ open (for reset_timeout again)

A failure is a subgraph call that ended unavailable or timed out; any
GraphQL answer (errors included) is a success, because the subgraph is up.
:data:`BREAKERS` lists every breaker of the process, which the breaker-state
metric reads. (``adapters/resilience/breaker.py`` is this class's twin: the
gateway may not import the adapters.)
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from enum import IntEnum


class BreakerState(IntEnum):
    """The metric's values: 0 closed, 1 half-open, 2 open."""

    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitBreaker:
    """One breaker; ``allow()`` before a call, then ``succeeded()`` or ``failed()``."""

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 5,
        reset_timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or reset_timeout <= 0:
            raise ValueError("failure_threshold must be ≥ 1 and reset_timeout > 0")
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        BREAKERS.add(self)

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._probing or self._clock() - self._opened_at >= self.reset_timeout:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """Whether a call may go out now; in half-open, only the first caller (the probe) may."""
        if self._opened_at is None:
            return True
        if self._probing or self._clock() - self._opened_at < self.reset_timeout:
            return False
        self._probing = True
        return True

    def succeeded(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probing = False

    def failed(self) -> None:
        self._failures += 1
        if self._probing or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
            self._probing = False

    def abandoned(self) -> None:
        """The probe ended without an answer either way (cancelled): let the next caller probe."""
        self._probing = False

    def retry_in(self) -> float:
        """Seconds until the breaker lets a probe through (0 when it would now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.reset_timeout - (self._clock() - self._opened_at))


BREAKERS: weakref.WeakSet[CircuitBreaker] = weakref.WeakSet()
