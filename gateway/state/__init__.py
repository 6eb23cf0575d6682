"""Shared gateway state: caches, persisted operations and rate-limit buckets, in Redis or in process.

Every replica of the gateway reads and writes the same Redis (``REDIS_URL``);
the embedded default keeps the same data in process. Both implement
:class:`~gateway.state.store.StateStore`, so plugins never know which one they
talk to. :func:`open_store` picks one from a URL.

Exception tree::

    GatewayError                (gateway.errors)
    └── StateError              the store could not answer
        └── StateUnavailable    Redis refused, timed out or failed (redis errors are translated)

Plugins treat :class:`StateUnavailable` as "no shared state right now" and
degrade (serve without the cache, let the request through the rate limiter)
instead of failing the request.
"""

from __future__ import annotations

from gateway.state.memory_store import MemoryStore
from gateway.state.store import Grant, StateError, StateStore, StateUnavailable


def open_store(url: str | None, *, prefix: str = "parkgraph:") -> StateStore:
    """A Redis store for a ``redis://``/``rediss://``/``unix://`` URL, the in-process store for None or ``memory://``."""
    if not url or url.startswith("memory:"):
        return MemoryStore()
    from gateway.state.redis_store import RedisStore

    return RedisStore.from_url(url, prefix=prefix)


__all__ = ["Grant", "MemoryStore", "StateError", "StateStore", "StateUnavailable", "open_store"]
