"""The utilities subgraph's own GraphQL types: meters, readings, use totals, intensity, the drop report."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated

import strawberry

from adapters.utilities import models
from schema.errors import BadUserInput
from schema.scalars import DateTime
from subgraphs.common.fields import described
from subgraphs.utilities import loaders
from subgraphs.utilities.context import UtilitiesContext

Info = strawberry.Info[UtilitiesContext, None]
MAX_PERIOD_DAYS = 366
DEFAULT_PERIOD_DAYS = 30


@strawberry.enum(description="The energy a meter measures (能源类型).")
class EnergyKind(enum.Enum):
    ELECTRICITY = strawberry.enum_value("electricity", description="Electricity (电), in kWh.")
    WATER = strawberry.enum_value("water", description="Water (水), in m³; a medium, so it has no tce.")
    GAS = strawberry.enum_value("gas", description="Natural gas (天然气), in m³.")
    HEAT = strawberry.enum_value("heat", description="Heat (热力), in GJ.")

    def to_model(self) -> models.EnergyKind:
        return models.EnergyKind(self.value)


@strawberry.enum(description="How the live feed last heard from a meter (通讯状态).")
class MeterStatus(enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    FAULT = "fault"


@strawberry.type(description="A meter's latest register reading (实时示数) from the metering platform's live feed.")
class MeterReading:
    register: Decimal | None = strawberry.field(description="The register (示数) in `unit`; null while offline.")
    unit: str
    read_at: DateTime = strawberry.field(description="When the meter reported it (China Standard Time).")
    status: MeterStatus


@strawberry.type(description="A meter's use on one day (日用量), from the daily drop.")
class DailyEnergyUse:
    day: date
    quantity: Decimal
    unit: str
    estimated: bool = strawberry.field(description="An estimated reading (估抄), not read from the register.")


@strawberry.type(description="A meter (表计) of an enterprise on the metering platform.")
class Meter:
    number: strawberry.ID = strawberry.field(description="Meter number (表号).")
    account_number: str = strawberry.field(description="Utility account number (户号) the meter bills.")
    kind: EnergyKind
    unit: str = strawberry.field(description="The unit of its readings: kWh, m³ or GJ.")

    @described("The latest register reading from the live feed (实时数据).")
    async def latest_reading(self, info: Info) -> MeterReading | None:
        reading = await loaders.readings(info.context).load(str(self.number))
        if reading is None:
            return None
        return MeterReading(
            register=reading.register,
            unit=reading.unit,
            read_at=reading.read_at,
            status=MeterStatus(reading.status.value),
        )

    @described("Use per day (日用量) over a period of at most 366 days, oldest first.")
    async def daily_use(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[DailyEnergyUse]:
        start, end = period(info, from_, to)
        days = await loaders.daily(info.context).load(loaders.DailyKey(str(self.number), start, end))
        return [DailyEnergyUse(day=d.day, quantity=d.quantity, unit=self.unit, estimated=d.estimated) for d in days]

    @staticmethod
    def of(meter: models.Meter) -> Meter:
        return Meter(
            number=strawberry.ID(meter.number),
            account_number=meter.account_number,
            kind=EnergyKind(meter.kind.value),
            unit=meter.unit,
        )


@strawberry.type(description="Use of one kind of energy over a period (能耗), with its standard-coal equivalent.")
class EnergyTotal:
    kind: EnergyKind
    quantity: Decimal
    unit: str
    tce: Decimal | None = strawberry.field(
        description="Tonnes of standard coal equivalent (吨标准煤, GB/T 2589); null for water."
    )


@strawberry.type(description="Energy use over a period (能源消费量), by kind and in total.")
class EnergyUse:
    from_: date = strawberry.field(name="from")
    to: date
    days_covered: int = strawberry.field(
        description="Days in the period with a loaded daily drop; fewer than the period's days means data is missing."
    )
    totals: list[EnergyTotal]
    tce: Decimal = strawberry.field(description="Comprehensive energy use (综合能耗) in tce: the sum of the totals.")

    @staticmethod
    def of(summary: models.UsageSummary) -> EnergyUse:
        totals = [
            EnergyTotal(kind=EnergyKind(t.kind.value), quantity=t.quantity, unit=t.unit, tce=t.tce)
            for t in summary.totals
        ]
        return EnergyUse(
            from_=summary.start, to=summary.end, days_covered=summary.days_covered, totals=totals, tce=summary.tce
        )


@strawberry.type(description="Energy use per 10,000 yuan of output (万元产值能耗).")
class EnergyIntensity:
    tce_per_ten_thousand_yuan: Decimal = strawberry.field(description="tce per 10,000 yuan of annual output.")
    annualised_tce: Decimal = strawberry.field(description="Energy use of the basis period scaled to a year, in tce.")
    basis_from: date
    basis_to: date
    days_covered: int = strawberry.field(description="Days of the basis period with a loaded daily drop.")


@strawberry.type(description="A drop row that could not be loaded (数据质量问题), and why.")
class BadDropRow:
    line: int
    reason: str


@strawberry.enum(description="What happened to a drop file.")
class DropStatus(enum.Enum):
    LOADED = "loaded"
    PENDING = "pending"
    REJECTED = "rejected"


@strawberry.type(description="One daily drop file of the metering platform and how it loaded (数据落地报告).")
class MeterDropFile:
    name: str
    day: date
    status: DropStatus
    encoding: str | None
    rows_loaded: int
    bad_row_count: int
    bad_rows: list[BadDropRow]
    problem: str | None = strawberry.field(description="Why the file is pending or rejected.")

    @staticmethod
    def of(report: models.DropFile) -> MeterDropFile:
        return MeterDropFile(
            name=report.name,
            day=report.day,
            status=DropStatus(report.status.value),
            encoding=report.encoding,
            rows_loaded=report.rows_loaded,
            bad_row_count=len(report.bad_rows),
            bad_rows=[BadDropRow(line=r.line, reason=r.reason) for r in report.bad_rows],
            problem=report.problem,
        )


def period(info: Info, start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for, defaulting to the 30 days up to yesterday (the latest daily drop)."""
    end = end or info.context.today() - timedelta(days=1)
    start = start or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        raise BadUserInput(f"from ({start}) is after to ({end})")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise BadUserInput(f"a period may span at most {MAX_PERIOD_DAYS} days, got {(end - start).days + 1}")
    return start, end


async def energy_use(
    info: Info, owner: str, key: str, start: date | None, end: date | None, kind: EnergyKind | None
) -> EnergyUse:
    """The use of one enterprise, park or city, through the request's usage loader."""
    first, last = period(info, start, end)
    model_kind = kind.to_model() if kind is not None else None
    summary = await loaders.usage(info.context).load(loaders.UsageKey(owner, key, first, last, model_kind))
    return EnergyUse.of(summary)
