"""What the safety sensor platform knows, in English: hazard-source sensors and their readings."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


class SensorKind(enum.Enum):
    GAS = "gas"  # 可燃/有毒气体浓度
    PRESSURE = "pressure"  # 压力
    TEMPERATURE = "temperature"  # 温度
    LEVEL = "level"  # 储罐液位


class SensorStatus(enum.Enum):
    NORMAL = "0"
    FAULT = "1"
    MAINTENANCE = "2"


@dataclass(frozen=True, slots=True)
class Sensor:
    code: str  # 传感器编码
    hazard_source: str  # 重大危险源编码
    uscc: str
    park_code: str
    city_code: str
    kind: SensorKind
    unit: str
    alarm: Decimal  # 报警值 from the hazard source's filing


@dataclass(frozen=True, slots=True)
class SensorReading:
    sensor: str
    value: Decimal
    unit: str
    status: SensorStatus
    measured_at: datetime  # aware, China Standard Time
