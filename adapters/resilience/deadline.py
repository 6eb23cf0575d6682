"""The request's deadline as adapters see it: a context variable the subgraph sets from the gateway's header.

Adapters are shared by every request of a subgraph process, and their calls
run inside DataLoader batches, so the deadline cannot be an argument of every
method: it travels in a :class:`contextvars.ContextVar`, which asyncio copies
into every task a request starts (DataLoader batches included). The subgraph
edge sets it with :func:`deadline_scope` from ``x-parkgraph-deadline``;
without one, calls are bounded by their system's own timeout only.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("parkgraph_deadline", default=None)


@contextmanager
def deadline_scope(seconds: float | None) -> Iterator[None]:
    """Calls made inside the block stop ``seconds`` from now (``None``: no request deadline)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + max(0.0, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left before the request's deadline (never negative), or ``None`` without a deadline."""
    deadline = _deadline.get()
    if deadline is None:
        return None
    return max(0.0, deadline - time.monotonic())


def time_limit(system_timeout: float) -> float:
    """What one legacy call may take: its system's timeout, cut to the time the request has left."""
    left = remaining()
    return system_timeout if left is None else min(system_timeout, left)
