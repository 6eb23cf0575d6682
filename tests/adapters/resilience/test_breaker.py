"""The circuit breaker: opens after repeated failures, half-opens to one probe, closes on success."""

from __future__ import annotations

from adapters.resilience import BreakerState, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_threshold_failures_in_a_row_and_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker("t", failure_threshold=3, reset_timeout=5, clock=Clock())
    breaker.failed()
    breaker.failed()
    breaker.succeeded()  # the run of failures is broken
    breaker.failed()
    breaker.failed()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()
    breaker.failed()
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()


def test_half_opens_after_the_reset_timeout_and_lets_one_probe_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker("t", failure_threshold=1, reset_timeout=5, clock=clock)
    breaker.failed()
    clock.now += 4.9
    assert not breaker.allow() and 0 < breaker.retry_in() <= 0.1 + 1e-9
    clock.now += 0.2
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # everyone else waits for the probe's outcome
    breaker.succeeded()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()


def test_a_failed_probe_opens_again_for_a_full_reset_timeout() -> None:
    clock = Clock()
    breaker = CircuitBreaker("t", failure_threshold=2, reset_timeout=5, clock=clock)
    breaker.failed()
    breaker.failed()
    clock.now += 5
    assert breaker.allow()
    breaker.failed()
    assert breaker.state is BreakerState.OPEN
    clock.now += 4
    assert not breaker.allow()


def test_an_abandoned_probe_lets_the_next_caller_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker("t", failure_threshold=1, reset_timeout=1, clock=clock)
    breaker.failed()
    clock.now += 1
    assert breaker.allow()
    breaker.abandoned()  # cancelled: no verdict on the system
    assert breaker.allow()
