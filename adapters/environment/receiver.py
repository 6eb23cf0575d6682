"""The platform's HJ 212 receiver: a TCP server the data acquisition units (数采仪) connect to.

In the field the units dial the platform (they sit behind the polluter's
NAT), so the platform listens and the units are clients; a unit reconnects
whenever its link drops. For each connection the receiver splits the stream
(:mod:`adapters.environment.stream`), acknowledges frames that ask for it
(Flag bit A, CN=9014), hands each accepted frame to ``on_frame`` and counts
refused frames by reason in :attr:`HJ212Receiver.stats`, without closing the
connection: the next frame is read as if nothing happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable

from adapters.environment.hj212 import Frame, FrameError, data_ack
from adapters.environment.stream import FrameSplitter

logger = logging.getLogger(__name__)

FrameHandler = Callable[[Frame], Awaitable[None]]


class HJ212Receiver:
    """Listens on ``host:port`` (0: any free port, see :attr:`port`) and passes accepted frames to ``on_frame``."""

    def __init__(self, on_frame: FrameHandler, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._on_frame = on_frame
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.stats: Counter[str] = Counter()  # accepted, refused:<reason>, connections, disconnections

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the receiver is not listening")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def refused(self) -> dict[str, int]:
        """Refused frames by reason (bad_length, bad_crc, malformed, unknown_code)."""
        return {k.removeprefix("refused:"): v for k, v in self.stats.items() if k.startswith("refused:")}

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self._host, self._port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self.stats["connections"] += 1
        splitter = FrameSplitter()
        try:
            while data := await reader.read(65536):
                for item in splitter.feed(data):
                    await self._handle(item, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the unit dropped the link; it will dial again
        finally:
            self._connections.discard(task)
            self.stats["disconnections"] += 1
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _handle(self, item: Frame | FrameError, writer: asyncio.StreamWriter) -> None:
        if isinstance(item, FrameError):
            self.stats[f"refused:{item.reason}"] += 1
            logger.warning("%s", item)
            return
        self.stats["accepted"] += 1
        if item.needs_ack:
            writer.write(data_ack(item))
        try:
            await self._on_frame(item)
        except Exception:
            # A failing consumer must not cut the unit off: its next frame may be fine.
            logger.exception("environment: handling frame QN=%s from MN=%s failed", item.qn, item.mn)
