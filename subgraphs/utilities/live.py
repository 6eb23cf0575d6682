"""A park's live electrical load (园区实时负荷), the utilities subgraph's subscription.

``parkLiveLoad(parkCode)`` samples the register readings of the park's
electricity meters from the metering platform's live feed every
``interval`` seconds and sends the park's total kW with each meter's load
(:mod:`adapters.utilities.load` says how a load is derived). The park is
checked against the caller's tenant when the subscription starts: another
city's or park's caller gets a ``FORBIDDEN`` error at once, not a silent
stream; an unknown park (no meters in the drops) is ``NOT_FOUND``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from decimal import Decimal

import strawberry

from adapters.utilities.load import LoadSample, sample_load
from adapters.utilities.load import MeterLoad as MeterLoadModel
from schema.errors import NotFoundError
from schema.scalars import CHINA_STANDARD_TIME, USCC, DateTime
from subgraphs.common.tenancy import require_park
from subgraphs.utilities.entities import City, Enterprise, Park
from subgraphs.utilities.types import Info, Meter, MeterStatus

DEFAULT_INTERVAL = 15.0  # seconds between samples: the feed's meters report every few minutes at most


@strawberry.type(description="One meter's share of a park's live load (表计实时负荷).")
class MeterLoad:
    meter: Meter
    enterprise: Enterprise = strawberry.field(description="The enterprise the meter bills.")
    kw: Decimal | None = strawberry.field(
        description="Average power between the meter's last two reports, in kW; null while it is offline, in "
        "fault or has reported only once since the subscription started."
    )
    status: MeterStatus | None = strawberry.field(description="How the feed last heard from it; null: unknown.")
    read_at: DateTime | None = strawberry.field(description="The meter's last report (China Standard Time).")

    @staticmethod
    def of(load: MeterLoadModel) -> MeterLoad:
        return MeterLoad(
            meter=Meter.of(load.meter),
            enterprise=Enterprise(uscc=USCC(load.meter.uscc)),
            kw=load.kw,
            status=MeterStatus(load.status.value) if load.status is not None else None,
            read_at=load.read_at,
        )


@strawberry.type(description="A park's live electrical load (园区实时负荷), one sample of the live feed.")
class ParkLiveLoad:
    park: Park
    city: City
    sampled_at: DateTime = strawberry.field(description="When the utilities subgraph sampled the live feed.")
    total_kw: Decimal = strawberry.field(description="Sum of the meters' loads that are known, in kW.")
    meters_reporting: int = strawberry.field(description="Meters whose load is known (counted in the total).")
    meters_total: int = strawberry.field(description="Electricity meters of the park.")
    meters: list[MeterLoad] = strawberry.field(description="Each electricity meter, biggest load first.")

    @staticmethod
    def of(park_code: str, city_code: str, sample: LoadSample) -> ParkLiveLoad:
        loads = sorted(sample.meters, key=lambda m: (m.kw is None, -(m.kw or 0), m.meter.number))
        return ParkLiveLoad(
            park=Park(code=strawberry.ID(park_code)),
            city=City(code=strawberry.ID(city_code)),
            sampled_at=sample.sampled_at,
            total_kw=sample.total_kw,
            meters_reporting=sample.reporting,
            meters_total=len(sample.meters),
            meters=[MeterLoad.of(m) for m in loads],
        )


async def park_live_load(info: Info, park_code: str) -> AsyncIterator[ParkLiveLoad]:
    """Checks the park before the stream starts, so a refusal is the subscription's error, not an event's."""
    require_park(info.context.tenant, park_code)
    client = info.context.utilities
    meters = await client.meters_in_park(park_code)
    if not meters:
        raise NotFoundError(f"park {park_code} has no meters on the metering platform")
    city_code = meters[0].city_code
    interval = info.context.live_load_interval

    async def stream() -> AsyncIterator[ParkLiveLoad]:
        samples = sample_load(client.latest_readings, meters, interval=interval, now=_now)
        async for sample in samples:
            yield ParkLiveLoad.of(park_code, city_code, sample)

    return stream()


def _now() -> datetime:
    return datetime.now(CHINA_STANDARD_TIME)
