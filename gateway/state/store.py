"""The state store protocol shared by the Redis and in-process implementations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from gateway.errors import GatewayError


class StateError(GatewayError):
    """The shared state store could not answer."""

    code = "INTERNAL_SERVER_ERROR"


class StateUnavailable(StateError):
    """The store is unreachable or failed; callers degrade instead of failing the request."""


@dataclass(frozen=True, slots=True)
class Grant:
    """The outcome of taking tokens from a bucket.

    ``granted`` tokens were taken (0 when refused); ``retry_after`` is the
    number of seconds until one token is available again (0 when granted).
    """

    granted: int
    retry_after: float
    remaining: float


class StateStore(Protocol):
    """Key-value state with expiry, tag invalidation and atomic token buckets.

    Keys are the caller's; the store adds its own prefix so that several
    deployments (or test runs) share one Redis without colliding.
    """

    async def get(self, key: str) -> bytes | None: ...

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]: ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        """Store ``value``; it expires after ``ttl`` seconds (never when None)."""
        ...

    async def set_many(self, items: Mapping[str, bytes], ttl: float, tags: Sequence[str] = ()) -> None:
        """Store several values with one expiry, recording each under every tag in ``tags``."""
        ...

    async def delete(self, keys: Sequence[str]) -> None: ...

    async def invalidate(self, tags: Sequence[str]) -> int:
        """Delete every value stored under any of ``tags``; returns how many keys were dropped."""
        ...

    async def take(self, bucket: str, *, rate: float, burst: float, want: int = 1) -> Grant:
        """Atomically take up to ``want`` whole tokens from a token bucket.

        The bucket holds at most ``burst`` tokens and refills at ``rate``
        tokens per second; a new bucket starts full. At least one token must
        be available for anything to be granted.
        """
        ...

    async def close(self) -> None: ...
