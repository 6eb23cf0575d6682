"""The seeded major hazard sources (重大危险源) and their sensors: gas, pressure, temperature and tank level.

Pure functions of a :class:`~mocks.data.province.Province`. About a quarter of
the manufacturing and utility enterprises have a tank farm registered as a
major hazard source, with one sensor of each kind; each sensor's alarm value
(报警值) is what the filing states. Values are a function of the sensor and the
second, so every run tells the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from mocks.data.province import Province

# kind → (unit, alarm value, normal value as a share of the alarm value)
KINDS: dict[str, tuple[str, Decimal, float]] = {
    "gas": ("%LEL", Decimal(25), 0.2),  # combustible gas: first-level alarm at 25 %LEL
    "pressure": ("MPa", Decimal("1.6"), 0.6),
    "temperature": ("℃", Decimal(60), 0.5),
    "level": ("%", Decimal(90), 0.6),
}


@dataclass(frozen=True, slots=True)
class SensorRecord:
    code: str  # 传感器编码
    hazard_source: str  # 危险源编码
    uscc: str
    park_code: str
    city_code: str
    kind: str
    unit: str
    alarm: Decimal


@lru_cache(maxsize=8)
def sensors(province: Province) -> tuple[SensorRecord, ...]:
    rng = random.Random(f"{province.seed}-safety")
    result: list[SensorRecord] = []
    serial = 0
    for enterprise in province.enterprises:
        if enterprise.industry_code not in "CD" or rng.random() > 0.25:
            continue
        serial += 1
        source = f"WX{enterprise.city_code}{serial:05d}"
        for index, (kind, (unit, alarm, _)) in enumerate(KINDS.items()):
            code = f"{source}-{index + 1:02d}"
            result.append(
                SensorRecord(
                    code, source, enterprise.uscc, enterprise.park_code, enterprise.city_code, kind, unit, alarm
                )
            )
    return tuple(result)


def value_at(sensor: SensorRecord, moment: datetime, seed: int) -> Decimal:
    rng = random.Random(f"{seed}-{sensor.code}-{moment:%Y%m%d%H%M%S}")
    share = KINDS[sensor.kind][2] * rng.uniform(0.9, 1.1)
    return (sensor.alarm * Decimal(repr(share))).quantize(Decimal("0.01"))
