"""A park's live load from register readings: the last two reports of each meter, in kW."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from adapters.errors import LegacyUnavailable
from adapters.utilities.load import LoadTracker, sample_load
from adapters.utilities.models import EnergyKind, LiveReading, Meter, MeterStatus
from schema.scalars import CHINA_STANDARD_TIME

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=CHINA_STANDARD_TIME)
POWER = Meter("E1", "A1", "91340100MA2TEST01X", "340100-HTZ", "340100", EnergyKind.ELECTRICITY, "kWh")
OTHER = Meter("E2", "A2", "91340100MA2TEST01X", "340100-HTZ", "340100", EnergyKind.ELECTRICITY, "kWh")
WATER = Meter("W1", "A3", "91340100MA2TEST01X", "340100-HTZ", "340100", EnergyKind.WATER, "m³")


def reading(number: str, register: str | None, minutes: float, status: MeterStatus = MeterStatus.ONLINE) -> LiveReading:
    value = Decimal(register) if register is not None else None
    return LiveReading(number, value, "kWh", T0 + timedelta(minutes=minutes), status)


def test_load_is_the_register_advance_over_the_time_between_the_last_two_reports() -> None:
    tracker = LoadTracker([POWER, OTHER, WATER])
    first = tracker.update({"E1": reading("E1", "1000", 0), "E2": reading("E2", "50", 0)}, T0)
    assert [m.meter.number for m in first.meters] == ["E1", "E2"]  # electricity only
    assert first.total_kw == 0 and first.reporting == 0  # one report each: no load yet
    second = tracker.update({"E1": reading("E1", "1025", 15), "E2": reading("E2", "50", 15)}, T0)
    loads = {m.meter.number: m.kw for m in second.meters}
    assert loads == {"E1": Decimal("100.00"), "E2": Decimal("0.00")}  # 25 kWh in a quarter of an hour
    assert second.total_kw == Decimal("100.00") and second.reporting == 2
    # E1 has not reported again: it keeps the load of its last two reports.
    third = tracker.update({"E1": reading("E1", "1025", 15), "E2": reading("E2", "60", 45)}, T0)
    assert {m.meter.number: m.kw for m in third.meters} == {"E1": Decimal("100.00"), "E2": Decimal("20.00")}


def test_offline_unknown_and_reset_meters_have_no_load() -> None:
    tracker = LoadTracker([POWER, OTHER])
    tracker.update({"E1": reading("E1", "1000", 0), "E2": reading("E2", "500", 0)}, T0)
    sample = tracker.update({"E1": reading("E1", None, 10, MeterStatus.OFFLINE)}, T0)
    assert [(m.kw, m.status) for m in sample.meters] == [(None, MeterStatus.OFFLINE), (None, None)]
    assert sample.total_kw == 0
    # A register that went backwards is a new meter on the same number: it needs two reports again.
    tracker.update({"E2": reading("E2", "3", 20)}, T0)
    after = tracker.update({"E2": reading("E2", "13", 80)}, T0)
    assert after.meters[1].kw == Decimal("10.00")


async def test_the_sampler_yields_after_a_baseline_and_goes_on_when_the_feed_fails() -> None:
    answers: list[dict[str, LiveReading] | Exception] = [
        {"E1": reading("E1", "1000", 0)},
        LegacyUnavailable("utilities", "down"),
        {"E1": reading("E1", "1010", 6)},
    ]
    asked: list[list[str]] = []

    async def latest(numbers: Sequence[str]) -> dict[str, LiveReading]:
        asked.append(list(numbers))
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    samples = sample_load(latest, [POWER, WATER], interval=0, now=lambda: T0)
    sample = await anext(samples)
    await samples.aclose()
    assert asked == [["E1"], ["E1"], ["E1"]]  # the water meter is never asked; the failed sample was skipped
    assert sample.meters[0].kw == Decimal("100.00")
