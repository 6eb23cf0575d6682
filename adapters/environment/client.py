"""One client for the pollution-source monitoring platform: the point registry and the live HJ 212 stream.

* the registry of monitoring points with their permit limits comes from the
  platform's REST interface (``GET /points``, ``{"code": "0000", "msg": …,
  "data": […]}`` with pinyin-abbreviated fields, see :mod:`adapters.environment.registry`);
* readings arrive on :class:`~adapters.environment.receiver.HJ212Receiver`;
  the client keeps each pollutant's latest reading and a bounded history per
  point, and calls every listener added with :meth:`add_listener` with the
  readings of each frame (the subgraph's alert rules are one).

Batch methods answer dicts keyed by their keys; ``calls`` counts them, so
tests can prove that N entities do not cost N calls.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Sequence

import httpx

from adapters.environment.hj212 import Frame
from adapters.environment.models import MonitoringPoint, Reading
from adapters.environment.receiver import HJ212Receiver
from adapters.environment.registry import PointRegistry

logger = logging.getLogger(__name__)

ReadingListener = Callable[[list[Reading]], Awaitable[None]]
HISTORY = 2880  # a day of 30-second real-time values per pollutant


class EnvironmentClient:
    """The point registry at ``legacy_url`` and the receiver on ``receiver_host:receiver_port``."""

    system = "environment"

    def __init__(
        self,
        *,
        legacy_url: str,
        receiver_host: str = "127.0.0.1",
        receiver_port: int = 0,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
        history: int = HISTORY,
    ) -> None:
        self.registry = PointRegistry(legacy_url, transport=transport, timeout=timeout)
        self.receiver = HJ212Receiver(self._on_frame, host=receiver_host, port=receiver_port)
        self._history = history
        self._latest: dict[str, dict[str, Reading]] = {}
        self._series: dict[tuple[str, str], deque[Reading]] = {}
        self._listeners: list[ReadingListener] = []
        self.calls: Counter[str] = Counter()

    def add_listener(self, listener: ReadingListener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        await self.receiver.start()

    async def aclose(self) -> None:
        await self.receiver.stop()
        await self.registry.aclose()

    async def points_of(self, usccs: Sequence[str]) -> dict[str, list[MonitoringPoint]]:
        """Each enterprise's monitoring points (an enterprise that is no key polluter has none)."""
        self.calls["points_of"] += 1
        points = await self.registry.points()
        return {uscc: [p for p in points if p.uscc == uscc] for uscc in usccs}

    async def points_in_parks(self, park_codes: Sequence[str]) -> dict[str, list[MonitoringPoint]]:
        self.calls["points_in_parks"] += 1
        points = await self.registry.points()
        return {code: [p for p in points if p.park_code == code] for code in park_codes}

    async def points_by_mn(self, mns: Sequence[str]) -> dict[str, MonitoringPoint]:
        self.calls["points_by_mn"] += 1
        points = {p.mn: p for p in await self.registry.points()}
        return {mn: points[mn] for mn in mns if mn in points}

    def latest(self, mns: Sequence[str]) -> dict[str, list[Reading]]:
        """The latest reading of each pollutant of each point, as received (no legacy call)."""
        self.calls["latest"] += 1
        return {mn: sorted(self._latest.get(mn, {}).values(), key=lambda r: r.pollutant) for mn in mns}

    def history(self, mn: str, pollutant: str) -> list[Reading]:
        """The received readings of one pollutant at one point, oldest first (bounded)."""
        return list(self._series.get((mn, pollutant), ()))

    async def ingest(self, readings: list[Reading]) -> None:
        """Stores readings and tells the listeners; the receiver calls it for every data frame."""
        for reading in readings:
            self._latest.setdefault(reading.mn, {})[reading.pollutant] = reading
            series = self._series.get((reading.mn, reading.pollutant))
            if series is None:
                series = self._series[(reading.mn, reading.pollutant)] = deque(maxlen=self._history)
            series.append(reading)
        for listener in self._listeners:
            await listener(readings)

    async def _on_frame(self, frame: Frame) -> None:
        readings = frame.readings()
        if readings:
            await self.ingest(readings)
