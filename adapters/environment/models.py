"""What the pollution-source monitoring platform knows, in English: monitoring points, limits and readings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from adapters.environment.codes import DataFlag, Medium


@dataclass(frozen=True, slots=True)
class DischargeLimit:
    """One pollutant's limit at an outlet, from the enterprise's discharge permit (排污许可)."""

    pollutant: str  # HJ 212 factor code
    limit: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class MonitoringPoint:
    """An online monitoring point (在线监测点) at one outlet of a key polluter."""

    mn: str  # the data acquisition unit's device number (MN), the key of every frame it sends
    uscc: str
    park_code: str
    city_code: str
    permit_number: str  # 排污许可证编号
    outlet_code: str  # 排放口编号, e.g. DW001 (water) or DA001 (air)
    medium: Medium
    limits: tuple[DischargeLimit, ...]

    def limit_of(self, pollutant: str) -> DischargeLimit | None:
        return next((limit for limit in self.limits if limit.pollutant == pollutant), None)


@dataclass(frozen=True, slots=True)
class Reading:
    """One value of one pollutant from a data frame, with its data flag."""

    mn: str
    pollutant: str
    value: Decimal
    flag: DataFlag
    measured_at: datetime  # aware, China Standard Time (DataTime)
    command: str  # CN: 2011 real-time, 2051 minute, 2061 hour, 2031 day
