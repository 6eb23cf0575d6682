"""A client's bounded buffer of outgoing messages: the writer drains it, producers never wait.

Producers (the hub's fan-out) append without blocking; when a client reads
more slowly than events arrive, its outbox fills and *overflows*: the buffer
is dropped at once (memory stays flat however slow the client) and the
transport closes that client with a reason. Limits are on messages and on
bytes, whichever is reached first.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T", str, bytes)

DEFAULT_MAX_MESSAGES = 1024
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


class Outbox(Generic[T]):
    def __init__(self, *, max_messages: int = DEFAULT_MAX_MESSAGES, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self.overflowed = False
        self.closed = False
        self.finishing = False  # no more items will come: the writer drains what is queued, then stops
        self._items: deque[T] = deque()
        self._bytes = 0
        # The writer's wake-up: one bare future while it waits, set by the first put. Cheaper than an
        # asyncio.Event (no waiter list, no future per clear/wait cycle): the fan-out wakes every
        # client's writer for every event, so this is paid N times per event.
        self._waiter: asyncio.Future[None] | None = None
        self._closed = asyncio.Event()

    def put(self, item: T) -> bool:
        """Queues ``item``; False (and the outbox overflows) when the client is too far behind."""
        if self.closed:
            return False
        if len(self._items) >= self.max_messages or self._bytes + len(item) > self.max_bytes:
            self.overflowed = True
            self.close()
            return False
        self._items.append(item)
        self._bytes += len(item)
        if self._waiter is not None:
            self._wake()
        return True

    def put_control(self, item: T) -> None:
        """Queues a protocol message (pong, complete, error) that must not be lost to the message limit."""
        if not self.closed:
            self._items.append(item)
            self._bytes += len(item)
            self._wake()

    async def get(self) -> T | None:
        """The next item; None once the outbox is closed (the rest is dropped) or finished and drained."""
        while not self._items:
            if self.closed or self.finishing:
                return None
            waiter = self._waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        if self.closed:
            return None
        item = self._items.popleft()
        self._bytes -= len(item)
        return item

    def take_ready(self) -> list[T]:
        """Everything queued now, without waiting (a writer that can send several items in one write)."""
        if self.closed:
            return []
        items = list(self._items)
        self._items.clear()
        self._bytes = 0
        return items

    def finish(self) -> None:
        self.finishing = True
        self._wake()

    async def wait_closed(self) -> None:
        await self._closed.wait()

    def close(self) -> None:
        self._closed.set()
        self.closed = True
        self._items.clear()
        self._bytes = 0
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __len__(self) -> int:
        return len(self._items)
