"""The seeded key polluters (重点排污单位): their online monitoring points and the permit limits of each outlet.

Pure functions of a :class:`~mocks.data.province.Province`. About a third of
the manufacturing and utility enterprises (GB/T 4754 sections C and D) are key
polluters; each has a wastewater outlet (DW001) and, for most, a flue-gas
outlet (DA001), each with a data acquisition unit whose device number (MN) is
the key of its HJ 212 frames. Limits follow GB 8978 / GB 13223 orders of
magnitude, tightened by some permits. Values are a function of the point, the
pollutant and the minute, so every run tells the same story.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from mocks.data.province import Province

# code → (unit, limit range (low, high), mean share of the limit a normal day runs at)
WATER_ITEMS: dict[str, tuple[str, tuple[int, int]]] = {
    "w01018": ("mg/L", (50, 100)),  # COD
    "w21003": ("mg/L", (5, 15)),  # ammonia nitrogen
    "w21011": ("mg/L", (1, 3)),  # total phosphorus
}
AIR_ITEMS: dict[str, tuple[str, tuple[int, int]]] = {
    "a21026": ("mg/m3", (35, 200)),  # SO2
    "a21002": ("mg/m3", (50, 200)),  # NOx
    "a34013": ("mg/m3", (10, 30)),  # particulate matter
}


@dataclass(frozen=True, slots=True)
class Limit:
    code: str
    limit: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class PointRecord:
    """One monitoring point as the platform's registry knows it."""

    mn: str
    uscc: str
    park_code: str
    city_code: str
    permit_number: str  # 排污许可证编号: the credit code, a sequence, and P (key management)
    outlet_code: str  # DW001 wastewater, DA001 flue gas
    kind: str  # 废水 / 废气
    limits: tuple[Limit, ...]
    load: float  # the share of its limits the polluter normally runs at (0.3–0.8)


@lru_cache(maxsize=8)
def points(province: Province) -> tuple[PointRecord, ...]:
    """Every monitoring point of every key polluter, in a stable order."""
    rng = random.Random(f"{province.seed}-environment")
    result: list[PointRecord] = []
    serial = 0
    for enterprise in province.enterprises:
        if enterprise.industry_code not in "CD" or rng.random() > 0.35:
            continue
        permit = f"{enterprise.uscc}001P"
        outlets = [("DW001", "废水", WATER_ITEMS)]
        if rng.random() < 0.7:
            outlets.append(("DA001", "废气", AIR_ITEMS))
        for outlet, kind, items in outlets:
            serial += 1
            limits = tuple(
                Limit(code, Decimal(rng.randint(*limit_range)), unit) for code, (unit, limit_range) in items.items()
            )
            result.append(
                PointRecord(
                    mn=f"{enterprise.city_code}{serial:06d}{enterprise.uscc[8:16]}{outlet[1]}",
                    uscc=enterprise.uscc,
                    park_code=enterprise.park_code,
                    city_code=enterprise.city_code,
                    permit_number=permit,
                    outlet_code=outlet,
                    kind=kind,
                    limits=limits,
                    load=rng.uniform(0.3, 0.8),
                )
            )
    return tuple(result)


def value_at(point: PointRecord, limit: Limit, moment: datetime, seed: int) -> Decimal:
    """The pollutant's concentration at ``moment``: a daily swing around the point's load, plus noise."""
    rng = random.Random(f"{seed}-{point.mn}-{limit.code}-{moment:%Y%m%d%H%M}")
    hour = moment.hour + moment.minute / 60
    swing = 1 + 0.15 * math.sin((hour - 8) / 24 * 2 * math.pi)
    share = point.load * swing * rng.uniform(0.9, 1.1)
    return (limit.limit * Decimal(repr(share))).quantize(Decimal("0.01"))
