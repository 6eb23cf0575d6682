"""The environment subgraph's own types: monitoring points, their permit limits, readings and exceedances."""

from __future__ import annotations

import enum
from decimal import Decimal

import strawberry

from adapters.environment import models
from adapters.environment.codes import POLLUTANTS
from schema.scalars import DateTime
from subgraphs.common.fields import described
from subgraphs.environment.context import Info


@strawberry.enum(description="What an outlet discharges (排放口类型).")
class Medium(enum.Enum):
    WATER = "water"
    AIR = "air"


@strawberry.enum(description="The HJ 212 data flag of a value (数据标记): only NORMAL counts towards compliance.")
class DataFlag(enum.Enum):
    NORMAL = "N"
    STOPPED = "F"
    MAINTENANCE = "M"
    MANUAL = "S"
    FAULT = "D"
    CALIBRATION = "C"
    OVER_RANGE = "T"
    COMMUNICATION = "B"


@strawberry.type(description="A pollutant's discharge limit at an outlet, from the discharge permit (排污许可).")
class DischargeLimit:
    pollutant: str = strawberry.field(description="HJ 212-2017 factor code, e.g. w01018 (COD).")
    name: str
    limit: Decimal
    unit: str


@strawberry.type(description="A pollutant value received from a monitoring point (实时数据).")
class PollutantReading:
    pollutant: str
    name: str
    value: Decimal
    unit: str
    flag: DataFlag
    measured_at: DateTime
    limit: Decimal | None
    exceeds_limit: bool = strawberry.field(description="Above the permit limit with a NORMAL flag (超标).")

    @staticmethod
    def of(reading: models.Reading, point: models.MonitoringPoint) -> PollutantReading:
        limit = point.limit_of(reading.pollutant)
        known = POLLUTANTS.get(reading.pollutant)
        return PollutantReading(
            pollutant=reading.pollutant,
            name=known.name if known else reading.pollutant,
            value=reading.value,
            unit=limit.unit if limit else (known.unit if known else ""),
            flag=DataFlag(reading.flag.value),
            measured_at=reading.measured_at,
            limit=limit.limit if limit else None,
            exceeds_limit=limit is not None and reading.flag.valid and reading.value > limit.limit,
        )


@strawberry.type(description="An online monitoring point (在线监测点) at an outlet of a key polluter.")
class DischargePoint:
    mn: strawberry.ID = strawberry.field(description="The data acquisition unit's device number (MN).")
    permit_number: str = strawberry.field(description="Discharge permit number (排污许可证编号).")
    outlet_code: str = strawberry.field(description="Outlet code (排放口编号), e.g. DW001.")
    medium: Medium
    limits: list[DischargeLimit]
    point: strawberry.Private[models.MonitoringPoint]

    @described("The latest value of each monitored pollutant, as received over HJ 212.")
    def latest_readings(self, info: Info) -> list[PollutantReading]:
        readings = info.context.environment.latest([self.point.mn])[self.point.mn]
        return [PollutantReading.of(r, self.point) for r in readings]

    @described("Received values above the permit limit (超标记录), newest first; at most `last`.")
    def exceedances(self, info: Info, last: int = 20) -> list[PollutantReading]:
        client = info.context.environment
        found = [
            PollutantReading.of(r, self.point)
            for limit in self.point.limits
            for r in client.history(self.point.mn, limit.pollutant)
            if r.flag.valid and r.value > limit.limit
        ]
        found.sort(key=lambda r: r.measured_at, reverse=True)
        return found[: max(0, min(last, 200))]

    @staticmethod
    def of(point: models.MonitoringPoint) -> DischargePoint:
        return DischargePoint(
            mn=strawberry.ID(point.mn),
            permit_number=point.permit_number,
            outlet_code=point.outlet_code,
            medium=Medium(point.medium.value),
            limits=[
                DischargeLimit(
                    pollutant=lim.pollutant,
                    name=POLLUTANTS[lim.pollutant].name if lim.pollutant in POLLUTANTS else lim.pollutant,
                    limit=lim.limit,
                    unit=lim.unit,
                )
                for lim in point.limits
            ],
            point=point,
        )


@strawberry.type(description="What the HJ 212 receiver has seen since it started (数据接收统计).")
class ReceiverStats:
    connections: int
    accepted_frames: int
    refused_bad_crc: int
    refused_bad_length: int
    refused_unknown_code: int
    refused_malformed: int
