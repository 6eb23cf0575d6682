"""The field units (数采仪): one TCP client per monitoring point, dialling the platform and sending HJ 212 frames.

Each unit connects to the platform's receiver, sends a real-time frame
(CN=2011) every ``interval_s`` seconds, reads and ignores the platform's
acknowledgements, and dials again (after a short back-off) whenever the link
drops or the platform is not up yet, as a unit in the field does. Faults
(:class:`~mocks.environment.faults.StreamFaults`) apply at every tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from mocks.data.environment import PointRecord, value_at
from mocks.environment.faults import StreamFaults
from mocks.environment.hj212 import corrupt, frame, realtime_segment


class UnitFleet:
    """The units of ``points``, sending to ``host:port`` while :meth:`run` runs."""

    def __init__(
        self,
        points: list[PointRecord],
        host: str,
        port: int,
        *,
        seed: int,
        faults: StreamFaults,
        clock: Callable[[], datetime],
    ) -> None:
        self.points = points
        self.host = host
        self.port = port
        self.seed = seed
        self.faults = faults
        self.clock = clock
        self.frames_sent = 0
        self.connects = 0
        self._rng = random.Random(seed)
        self._bursts_seen: dict[str, int] = {}

    async def run(self) -> None:
        async with asyncio.TaskGroup() as group:
            for point in self.points:
                group.create_task(self._unit(point))

    def segment(self, point: PointRecord, moment: datetime) -> str:
        factor = Decimal(repr(self.faults.exceed.get(point.mn, 1.0)))
        values = {
            limit.code: f"{(value_at(point, limit, moment, self.seed) * factor).quantize(Decimal('0.01'))}"
            for limit in point.limits
        }
        st = "32" if point.kind == "废水" else "31"
        return realtime_segment(point.mn, st, moment, values, ack=True)

    def encode(self, point: PointRecord, moment: datetime) -> bytes:
        segment = self.segment(point, moment)
        faults = self.faults
        if faults.corrupt_rate and faults.corrupt_kinds and self._rng.random() < faults.corrupt_rate:
            return corrupt(segment, self._rng.choice(faults.corrupt_kinds))
        return frame(segment)

    async def _unit(self, point: PointRecord) -> None:
        while True:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                await asyncio.sleep(1.0)  # the platform is not up (yet): dial again
                continue
            self.connects += 1
            drain = asyncio.create_task(_discard(reader))
            try:
                await self._send(point, writer, drain)
            except (ConnectionError, OSError):
                pass
            finally:
                drain.cancel()
                writer.close()
                with contextlib.suppress(ConnectionError, OSError):
                    await writer.wait_closed()
            await asyncio.sleep(0.2)

    async def _send(self, point: PointRecord, writer: asyncio.StreamWriter, drain: asyncio.Task[None]) -> None:
        seen_reconnects = self.faults.reconnects
        while not drain.done():
            if self.faults.reconnects != seen_reconnects:
                return  # drop the link on purpose; the caller dials again
            if not self.faults.is_silent(point.mn):
                count = 1
                if self._bursts_seen.get(point.mn, 0) != self.faults.bursts:
                    self._bursts_seen[point.mn] = self.faults.bursts
                    count = max(1, self.faults.burst)
                for _ in range(count):
                    writer.write(self.encode(point, self.clock()))
                    self.frames_sent += 1
                await writer.drain()
            await self._sleep(point.mn, seen_reconnects)

    async def _sleep(self, mn: str, seen_reconnects: int) -> None:
        """Sleeps until the next tick, in small steps: a reconnect or a burst asked for ends it early."""
        faults = self.faults
        deadline = asyncio.get_running_loop().time() + faults.interval_s
        while faults.reconnects == seen_reconnects and faults.bursts == self._bursts_seen.get(mn, 0):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.1))


async def _discard(reader: asyncio.StreamReader) -> None:
    """Reads the platform's acknowledgements (a unit that never reads would fill the socket buffer)."""
    with contextlib.suppress(ConnectionError, OSError):
        while await reader.read(4096):
            pass
