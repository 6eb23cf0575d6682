"""Fan-out between gateway replicas: channels of events, and leases that elect one upstream per channel.

A channel carries the events of one upstream subscription to every replica
with clients that need them; the lease says which replica holds the upstream.
:class:`InProcessBroker` serves the embedded default (one replica);
:class:`RedisBroker` uses Redis pub/sub (one connection per replica, all
channels multiplexed on it) and ``SET NX PX`` leases, refreshed only by their
owner through a Lua script, so a dead replica's lease expires and another
takes over.

Exception tree: :class:`BrokerUnavailable` (the Redis server cannot be
reached); redis-py errors are translated into it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any, Protocol

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LISTENER_BUFFER = 4096  # messages a replica's listener may lag behind before the oldest are dropped


class BrokerUnavailable(Exception):
    """The shared broker (Redis) cannot be reached."""


class Listener(Protocol):
    """The messages published on one channel since the listener was opened."""

    def __aiter__(self) -> AsyncIterator[bytes]: ...

    async def close(self) -> None: ...


class Broker(Protocol):
    async def publish(self, channel: str, message: bytes) -> None: ...

    async def listen(self, channel: str) -> Listener:
        """Subscribed when this returns: every later ``publish`` on ``channel`` reaches the listener."""
        ...

    async def claim(self, lease: str, owner: str, ttl: float) -> bool:
        """Take the lease, or extend it if ``owner`` holds it; False while another owner holds it."""
        ...

    async def release(self, lease: str, owner: str) -> None: ...

    async def close(self) -> None: ...


class _QueueListener:
    """A bounded queue of messages; when the consumer lags, the oldest go (and are counted)."""

    def __init__(self, on_close: Any) -> None:
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(LISTENER_BUFFER)
        self.dropped = 0
        self._on_close = on_close

    def put(self, message: bytes | None) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(message)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            message = await self.queue.get()
            if message is None:
                return
            yield message

    async def close(self) -> None:
        self._on_close(self)
        self.put(None)


class InProcessBroker:
    """Channels and leases inside one process (the embedded default)."""

    def __init__(self) -> None:
        self._listeners: dict[str, set[_QueueListener]] = {}
        self._leases: dict[str, tuple[str, float]] = {}

    async def publish(self, channel: str, message: bytes) -> None:
        for listener in list(self._listeners.get(channel, ())):
            listener.put(message)

    async def listen(self, channel: str) -> Listener:
        def forget(listener: _QueueListener) -> None:
            listeners = self._listeners.get(channel)
            if listeners is not None:
                listeners.discard(listener)
                if not listeners:
                    del self._listeners[channel]

        listener = _QueueListener(forget)
        self._listeners.setdefault(channel, set()).add(listener)
        return listener

    async def claim(self, lease: str, owner: str, ttl: float) -> bool:
        now = time.monotonic()
        held = self._leases.get(lease)
        if held is not None and held[0] != owner and held[1] > now:
            return False
        self._leases[lease] = (owner, now + ttl)
        return True

    async def release(self, lease: str, owner: str) -> None:
        held = self._leases.get(lease)
        if held is not None and held[0] == owner:
            del self._leases[lease]

    async def close(self) -> None:
        self._listeners.clear()


# KEYS[1] lease; ARGV owner, ttl in ms. Take it when free, extend it when ours.
_CLAIM = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisBroker:
    """Redis pub/sub and leases, every key and channel under ``prefix``."""

    def __init__(self, client: redis_asyncio.Redis, *, prefix: str = "parkgraph:subs:") -> None:
        self.client = client
        self.prefix = prefix
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._listeners: dict[str, set[_QueueListener]] = {}
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "parkgraph:subs:") -> RedisBroker:
        return cls(redis_asyncio.Redis.from_url(url), prefix=prefix)

    async def publish(self, channel: str, message: bytes) -> None:
        try:
            await self.client.publish(self.prefix + channel, message)
        except RedisError as exc:
            raise BrokerUnavailable(f"cannot publish on Redis: {exc}") from exc

    async def listen(self, channel: str) -> Listener:
        name = self.prefix + channel

        def forget(listener: _QueueListener) -> None:
            listeners = self._listeners.get(name)
            if listeners is None:
                return
            listeners.discard(listener)
            if not listeners:
                del self._listeners[name]
                if self._pubsub is not None:
                    task = asyncio.ensure_future(self._pubsub.unsubscribe(name))
                    task.add_done_callback(lambda t: t.cancelled() or t.exception())

        listener = _QueueListener(forget)
        try:
            if self._pubsub is None:
                self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            first = name not in self._listeners
            self._listeners.setdefault(name, set()).add(listener)
            if first:
                await self._pubsub.subscribe(name)
        except RedisError as exc:
            self._listeners.get(name, set()).discard(listener)
            raise BrokerUnavailable(f"cannot subscribe on Redis: {exc}") from exc
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read())
        return listener

    async def _read(self) -> None:
        """The replica's one pub/sub connection, dispatched to the channels' listeners."""
        while self._pubsub is not None:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except RedisError:
                logger.warning("redis pub/sub connection lost; reconnecting", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            if message is None:
                if not self._listeners:
                    await asyncio.sleep(0.05)  # nothing subscribed yet: get_message returns at once
                continue
            if message.get("type") != "message":
                continue
            channel = message["channel"]
            channel = channel.decode() if isinstance(channel, bytes) else channel
            for listener in list(self._listeners.get(channel, ())):
                listener.put(message["data"])

    async def claim(self, lease: str, owner: str, ttl: float) -> bool:
        try:
            return bool(await self._claim(keys=[self.prefix + "lease:" + lease], args=[owner, int(ttl * 1000)]))
        except RedisError as exc:
            raise BrokerUnavailable(f"cannot claim a lease on Redis: {exc}") from exc

    async def release(self, lease: str, owner: str) -> None:
        try:
            await self._release(keys=[self.prefix + "lease:" + lease], args=[owner])
        except RedisError as exc:
            raise BrokerUnavailable(f"cannot release a lease on Redis: {exc}") from exc

    async def close(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if pubsub is not None:
            with contextlib.suppress(RedisError):
                await pubsub.aclose()
        await self.client.aclose()
