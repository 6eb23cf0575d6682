"""The Redis state store shared by every gateway replica (``REDIS_URL``).

Token buckets and tag invalidation are Lua scripts, so each is one atomic
round trip however many replicas race; the bucket uses Redis' own clock so
replicas with skewed clocks still agree. Writes of several values go out as
one pipeline. Every redis-py error becomes :class:`StateUnavailable`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

from gateway.state.store import Grant, StateUnavailable

# KEYS[1] bucket hash; ARGV rate (tokens/s), burst, want. Returns {granted, retry_after, remaining} as strings.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = math.min(want, math.floor(tokens))
local retry = 0
if granted < 1 then
  granted = 0
  retry = (1 - tokens) / rate
end
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return {tostring(granted), tostring(retry), tostring(tokens)}
"""

# KEYS: tag sets. Deletes every member key, then the sets. Returns the number of keys deleted.
_INVALIDATE = """
local dropped = 0
for _, tag in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', tag)
  for i = 1, #members, 500 do
    dropped = dropped + redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
  end
  redis.call('DEL', tag)
end
return dropped
"""


class RedisStore:
    """A :class:`~gateway.state.store.StateStore` on one Redis, every key under ``prefix``."""

    def __init__(self, client: redis_asyncio.Redis, *, prefix: str = "parkgraph:") -> None:
        self.client = client
        self.prefix = prefix
        self._take = client.register_script(_TAKE)
        self._invalidate = client.register_script(_INVALIDATE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "parkgraph:", timeout: float = 1.0) -> RedisStore:
        # A short socket timeout: a slow Redis must cost a request a cache miss, not its deadline.
        client = redis_asyncio.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(client, prefix=prefix)

    async def get(self, key: str) -> bytes | None:
        try:
            value: Any = await self.client.get(self.prefix + key)
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc
        return value if isinstance(value, bytes) else None

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        prefix = self.prefix
        try:
            values: Any = await self.client.mget([prefix + key for key in keys])
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc
        return list(values)

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        px = _millis(ttl) if ttl is not None else None
        try:
            await self.client.set(self.prefix + key, value, px=px)
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc

    async def set_many(self, items: Mapping[str, bytes], ttl: float, tags: Sequence[str] = ()) -> None:
        if not items:
            return
        px = _millis(ttl)
        prefix = self.prefix
        keys = [prefix + key for key in items]
        pipe: Any = self.client.pipeline(transaction=False)
        for key, value in zip(keys, items.values(), strict=True):
            pipe.set(key, value, px=px)
        for tag in tags:
            tag_key = f"{prefix}tag:{tag}"
            pipe.sadd(tag_key, *keys)
            # The tag must outlive its longest-lived member, or that member could no longer be invalidated.
            pipe.pexpire(tag_key, px, nx=True)
            pipe.pexpire(tag_key, px, gt=True)
        try:
            await pipe.execute()
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc

    async def delete(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        try:
            await self.client.delete(*(self.prefix + key for key in keys))
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc

    async def invalidate(self, tags: Sequence[str]) -> int:
        if not tags:
            return 0
        try:
            dropped = await self._invalidate(keys=[f"{self.prefix}tag:{tag}" for tag in tags])
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc
        return int(dropped)

    async def take(self, bucket: str, *, rate: float, burst: float, want: int = 1) -> Grant:
        try:
            granted, retry_after, remaining = await self._take(keys=[self.prefix + bucket], args=[rate, burst, want])
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc
        return Grant(int(float(granted)), float(retry_after), float(remaining))

    async def close(self) -> None:
        try:
            await self.client.aclose()
        except RedisError as exc:
            raise StateUnavailable(f"redis: {exc}") from exc


def _millis(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))
