"""A park's live electrical load, derived from the live feed's register readings sampled at an interval.

The feed gives each meter's register (示数, kWh, cumulative) and when the
meter read it. The load of a meter is the average power between its last two
reports, ``Δregister / Δread time``; a meter that has not reported again since
the last sample keeps the load of its last two reports (its read time shows
its age). Meters offline or in communication fault, and meters with only one
report so far, have no load and do not count in the total. A register that
went backwards (a replaced or reset meter) starts over from its new value.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from adapters.errors import AdapterError
from adapters.utilities.models import EnergyKind, LiveReading, Meter, MeterStatus

logger = logging.getLogger(__name__)

KW = Decimal("0.01")
SECONDS_PER_HOUR = Decimal(3600)
Latest = Callable[[Sequence[str]], Awaitable[dict[str, LiveReading]]]


@dataclass(frozen=True, slots=True)
class MeterLoad:
    meter: Meter
    kw: Decimal | None  # average power between the meter's last two reports; None: not known
    status: MeterStatus | None  # None: the feed does not know the meter
    read_at: datetime | None  # the meter's last report


@dataclass(frozen=True, slots=True)
class LoadSample:
    sampled_at: datetime
    meters: tuple[MeterLoad, ...]

    @property
    def total_kw(self) -> Decimal:
        return sum((m.kw for m in self.meters if m.kw is not None), Decimal(0)).quantize(KW)

    @property
    def reporting(self) -> int:
        return sum(1 for m in self.meters if m.kw is not None)


class LoadTracker:
    """The last two reports of each meter, turned into loads (pure: no I/O, no clock)."""

    def __init__(self, meters: Sequence[Meter]) -> None:
        self.meters = [m for m in meters if m.kind is EnergyKind.ELECTRICITY]
        self._reports: dict[str, tuple[LiveReading | None, LiveReading]] = {}

    def update(self, readings: dict[str, LiveReading], sampled_at: datetime) -> LoadSample:
        loads = []
        for meter in self.meters:
            reading = readings.get(meter.number)
            loads.append(self._load(meter, reading))
        return LoadSample(sampled_at, tuple(loads))

    def _load(self, meter: Meter, reading: LiveReading | None) -> MeterLoad:
        if reading is None:
            return MeterLoad(meter, None, None, None)
        if reading.status is not MeterStatus.ONLINE or reading.register is None:
            return MeterLoad(meter, None, reading.status, reading.read_at)
        previous, last = self._reports.get(meter.number, (None, None))
        if last is None or reading.register < (last.register or Decimal(0)) or reading.read_at < last.read_at:
            self._reports[meter.number] = (None, reading)  # first report, or the register started over
        elif reading.read_at > last.read_at:
            self._reports[meter.number] = (last, reading)
        previous, last = self._reports[meter.number]
        return MeterLoad(meter, _kw(previous, last), reading.status, reading.read_at)


def _kw(previous: LiveReading | None, last: LiveReading) -> Decimal | None:
    if previous is None or previous.register is None or last.register is None:
        return None
    seconds = Decimal(str((last.read_at - previous.read_at).total_seconds()))
    if seconds <= 0:
        return None
    return ((last.register - previous.register) * SECONDS_PER_HOUR / seconds).quantize(KW)


async def sample_load(
    latest: Latest, meters: Sequence[Meter], *, interval: float, now: Callable[[], datetime]
) -> AsyncGenerator[LoadSample, None]:
    """A sample every ``interval`` seconds, the first one interval after a baseline reading.

    A feed failure skips that sample (logged): the stream goes on and the next sample compares with the last
    reports that did arrive.
    """
    tracker = LoadTracker(meters)
    numbers = [m.number for m in tracker.meters]
    first = True
    while True:
        try:
            readings = await latest(numbers) if numbers else {}
        except AdapterError as exc:
            logger.warning("utilities: live load sample skipped: %s", exc)
            readings = None
        if readings is not None:
            sample = tracker.update(readings, now())
            if not first:
                yield sample
            first = False
        await asyncio.sleep(interval)


__all__ = ["LoadSample", "LoadTracker", "MeterLoad", "sample_load"]
