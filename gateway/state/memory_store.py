"""The in-process state store of the embedded default: one gateway process, no Redis."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from gateway.state.store import Grant

DEFAULT_MAX_ENTRIES = 100_000


class MemoryStore:
    """A :class:`~gateway.state.store.StateStore` in a dict, bounded to ``max_entries`` values (oldest first out)."""

    def __init__(self, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[str, tuple[bytes, float]] = OrderedDict()  # key -> (value, expires at)
        self._tags: dict[str, set[str]] = {}
        self._buckets: dict[str, tuple[float, float, float]] = {}  # bucket -> (tokens, updated, full again at)

    async def get(self, key: str) -> bytes | None:
        return self._get(key, time.monotonic())

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        now = time.monotonic()
        return [self._get(key, now) for key in keys]

    def _get(self, key: str, now: float) -> bytes | None:
        entry = self._values.get(key)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._values[key]
            return None
        return entry[0]

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        self._put(key, value, time.monotonic() + ttl if ttl is not None else float("inf"))

    async def set_many(self, items: Mapping[str, bytes], ttl: float, tags: Sequence[str] = ()) -> None:
        expires = time.monotonic() + ttl
        for key, value in items.items():
            self._put(key, value, expires)
        for tag in tags:
            self._tags.setdefault(tag, set()).update(items)

    def _put(self, key: str, value: bytes, expires: float) -> None:
        self._values[key] = (value, expires)
        self._values.move_to_end(key)
        while len(self._values) > self.max_entries:
            self._values.popitem(last=False)

    async def delete(self, keys: Sequence[str]) -> None:
        for key in keys:
            self._values.pop(key, None)

    async def invalidate(self, tags: Sequence[str]) -> int:
        dropped = 0
        for tag in tags:
            for key in self._tags.pop(tag, ()):
                if self._values.pop(key, None) is not None:
                    dropped += 1
        return dropped

    async def take(self, bucket: str, *, rate: float, burst: float, want: int = 1) -> Grant:
        now = time.monotonic()
        tokens, last, _ = self._buckets.get(bucket, (burst, now, now))
        tokens = min(burst, tokens + max(0.0, now - last) * rate)
        granted = min(want, int(tokens))
        retry_after = 0.0
        if granted < 1:
            granted = 0
            retry_after = (1.0 - tokens) / rate
        tokens -= granted
        self._buckets[bucket] = (tokens, now, now + (burst - tokens) / rate)
        if len(self._buckets) > self.max_entries:
            self._drop_full_buckets(now)
        return Grant(granted, retry_after, tokens)

    def _drop_full_buckets(self, now: float) -> None:
        # A bucket that has refilled to full is the same as no bucket: forget it to bound memory.
        for name, (_, _, full_at) in list(self._buckets.items()):
            if full_at <= now:
                del self._buckets[name]

    async def close(self) -> None:
        return None
