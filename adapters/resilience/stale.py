"""Last known good answers of legacy reads, and the record of which answers were served stale.

When a legacy system is down (or its breaker is open), an adapter read may
answer from :class:`LastGood`, the store of the last successful answer of the
same read (method and arguments), instead of failing. Such an answer is
*stale*: :func:`record_stale` notes the system and the time the data was
fetched in the current :data:`stale_sink`, a context variable the subgraph
sets per field (``subgraphs/common/staleness.py``), which turns the notes
into ``extensions.staleness`` entries with the field's path.

Stores: :class:`MemoryLastGood` (in-process, bounded, the default) and
:class:`RedisLastGood` (shared by replicas; values are pickled, so the Redis
instance must be as trusted as the process). :func:`last_good_from_env`
picks Redis when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Staleness:
    """An answer served from the last good copy: which system it came from and when that copy was fetched."""

    system: str
    fetched_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"stale": True, "system": self.system, "fetchedAt": self.fetched_at.isoformat(timespec="seconds")}


@dataclass(frozen=True, slots=True)
class Remembered:
    value: Any
    fetched_at: datetime


class LastGood(Protocol):
    """Where last good answers live, by ``(system, operation, arguments key)``."""

    async def get(self, system: str, operation: str, key: str) -> Remembered | None: ...

    async def put(self, system: str, operation: str, key: str, value: Any, fetched_at: datetime) -> None: ...


class MemoryLastGood:
    """The in-process store: the ``max_entries`` most recently stored answers."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._max = max_entries
        self._entries: OrderedDict[tuple[str, str, str], Remembered] = OrderedDict()

    async def get(self, system: str, operation: str, key: str) -> Remembered | None:
        return self._entries.get((system, operation, key))

    async def put(self, system: str, operation: str, key: str, value: Any, fetched_at: datetime) -> None:
        entry = (system, operation, key)
        self._entries[entry] = Remembered(value, fetched_at)
        self._entries.move_to_end(entry)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)


class RedisLastGood:
    """Last good answers in Redis, under ``prefix``, kept ``ttl_seconds`` (a day by default)."""

    def __init__(self, url: str, *, prefix: str = "parkgraph:lastgood:", ttl_seconds: int = 24 * 3600) -> None:
        import redis.asyncio as redis

        self._redis: Any = redis.Redis.from_url(url)
        self._prefix = prefix
        self._ttl = ttl_seconds

    def _name(self, system: str, operation: str, key: str) -> str:
        return f"{self._prefix}{system}:{operation}:{key}"

    async def get(self, system: str, operation: str, key: str) -> Remembered | None:
        try:
            raw = await self._redis.get(self._name(system, operation, key))
        except Exception as exc:  # Redis down must not turn a stale answer into no answer and a crash
            logger.warning("last-good store unreachable: %s", exc)
            return None
        if raw is None:
            return None
        remembered: Remembered = pickle.loads(raw)
        return remembered

    async def put(self, system: str, operation: str, key: str, value: Any, fetched_at: datetime) -> None:
        try:
            payload = pickle.dumps(Remembered(value, fetched_at))
            await self._redis.set(self._name(system, operation, key), payload, ex=self._ttl)
        except Exception as exc:
            logger.warning("last-good store unreachable: %s", exc)

    async def aclose(self) -> None:
        await self._redis.aclose()


_redis_stores: dict[str, RedisLastGood] = {}


def last_good_from_env() -> LastGood:
    """A guard's store: the process's Redis store at ``REDIS_URL`` when set, otherwise an in-process one of its own."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return MemoryLastGood()
    store = _redis_stores.get(url)
    if store is None:
        store = _redis_stores[url] = RedisLastGood(url)
    return store


# The notes of the field being resolved; None outside a subgraph request (nothing to tell anyone).
stale_sink: ContextVar[list[Staleness] | None] = ContextVar("parkgraph_stale_sink", default=None)


def record_stale(*notes: Staleness) -> None:
    """Tell the field being resolved that its data is stale."""
    sink = stale_sink.get()
    if sink is not None:
        sink.extend(notes)


def now() -> datetime:
    return datetime.now(UTC)
