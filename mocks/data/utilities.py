"""The seeded energy-metering records: meters (表计台账) and their daily use.

Pure functions of a :class:`~mocks.data.province.Province`. Each enterprise has
one or two electricity meters and a water meter, some a gas or a heat meter.
Its yearly energy use follows its output value and industry (a factory uses
more energy per 10,000 yuan than a software house), so that energy intensity
comes out in the range real parks report (0.02–1.5 tce per 10,000 yuan).

Daily use depends on the day (weekends, the heating season) and on a noise
term drawn from one generator per day, so a day's file is the same whenever
and however often it is written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from mocks.data.province import Enterprise, Province

ELECTRICITY = "电"
WATER = "水"
GAS = "天然气"
HEAT = "热力"
KINDS = (ELECTRICITY, WATER, GAS, HEAT)

# kgce per base unit (GB/T 2589-2020 reference values): kWh, m³ of natural gas, GJ of heat.
_KGCE_PER_UNIT = {ELECTRICITY: 0.1229, GAS: 1.2143, HEAT: 34.12}
# tce per 10,000 yuan of output, by GB/T 4754 section: (low, high).
_INTENSITY = {"C": (0.15, 1.2), "D": (0.6, 1.5), "G": (0.08, 0.4), "I": (0.02, 0.12), "M": (0.03, 0.2)}
# m³ of water per 10,000 yuan of output and year.
_WATER = {"C": (4.0, 15.0), "D": (10.0, 30.0), "G": (1.0, 4.0), "I": (0.5, 2.0), "M": (1.0, 3.0)}
# The units a meter's readings are stated in: the legacy ledger is not consistent about it.
_UNITS = {
    ELECTRICITY: ("kWh", "千瓦时", "kWh"),
    WATER: ("m3", "立方米", "吨"),
    GAS: ("m3", "立方米", "Nm3"),
    HEAT: ("GJ", "吉焦", "MJ"),
}
# Base units per stated unit (MWh meters state thousands of kWh, MJ meters thousandths of GJ).
UNIT_FACTORS = {"kWh": 1, "千瓦时": 1, "MWh": 1000, "m3": 1, "立方米": 1, "吨": 1, "Nm3": 1, "GJ": 1, "吉焦": 1}
UNIT_FACTORS_FRACTION = {"MJ": Decimal("0.001")}
_KIND_CODES = {ELECTRICITY: "01", WATER: "02", GAS: "03", HEAT: "04"}


@dataclass(frozen=True, slots=True)
class MeterRecord:
    """One meter in the metering platform's ledger, as the legacy system knows it."""

    meter_no: str  # 表号
    account_no: str  # 户号 of the utility account it bills
    uscc: str
    park_code: str
    city_code: str
    kind: str  # 电 / 水 / 天然气 / 热力
    unit: str  # the unit its readings are stated in (see UNIT_FACTORS)
    daily_base: float  # mean daily use in base units (kWh, m³, GJ)
    initial_register: int  # register reading (示数) on the epoch day, in the stated unit


EPOCH = date(2026, 1, 1)


@lru_cache(maxsize=8)
def meters(province: Province) -> tuple[MeterRecord, ...]:
    """Every meter of every enterprise, in a stable order."""
    rng = random.Random(f"{province.seed}-utilities")
    result: list[MeterRecord] = []
    serial = 0
    for enterprise in province.enterprises:
        low, high = _INTENSITY.get(enterprise.industry_code, (0.1, 0.5))
        annual_tce = enterprise.annual_output_wan * rng.uniform(low, high)
        has_gas = rng.random() < (0.6 if enterprise.industry_code in "CD" else 0.25)
        has_heat = rng.random() < 0.2
        gas_share = rng.uniform(0.1, 0.3) if has_gas else 0.0
        heat_share = rng.uniform(0.05, 0.2) if has_heat else 0.0
        shares = {ELECTRICITY: 1.0 - gas_share - heat_share, GAS: gas_share, HEAT: heat_share}
        water_low, water_high = _WATER.get(enterprise.industry_code, (1.0, 5.0))
        plan = [(ELECTRICITY, n) for n in range(1 if enterprise.annual_output_wan < 50000 else 2)]
        plan.append((WATER, 0))
        if has_gas:
            plan.append((GAS, 0))
        if has_heat:
            plan.append((HEAT, 0))
        electricity_meters = sum(1 for kind, _ in plan if kind == ELECTRICITY)
        for kind, _ in plan:
            serial += 1
            if kind == WATER:
                daily = enterprise.annual_output_wan * rng.uniform(water_low, water_high) / 365
            else:
                daily = annual_tce * shares[kind] * 1000 / _KGCE_PER_UNIT[kind] / 365
                if kind == ELECTRICITY:
                    daily /= electricity_meters
            unit = rng.choice(_UNITS[kind])
            if kind == ELECTRICITY and daily > 400_000:
                unit = "MWh"  # large consumers' meters count MWh
            result.append(
                MeterRecord(
                    meter_no=_meter_no(enterprise, kind, serial),
                    account_no=f"{rng.randint(1, 9)}{rng.randint(0, 999_999_999):09d}",
                    uscc=enterprise.uscc,
                    park_code=enterprise.park_code,
                    city_code=enterprise.city_code,
                    kind=kind,
                    unit=unit,
                    daily_base=max(daily, 0.5),
                    initial_register=rng.randint(1_000, 900_000),
                )
            )
    return tuple(result)


def meters_of(province: Province, uscc: str) -> list[MeterRecord]:
    return [m for m in meters(province) if m.uscc == uscc]


def daily_use(province: Province, day: date) -> dict[str, Decimal]:
    """Each meter's use on ``day`` in its stated unit, 2 decimals (the day's file values)."""
    rng = random.Random(f"{province.seed}-utilities-{day.isoformat()}")
    weekend = day.weekday() >= 5
    heating = day.month in (11, 12, 1, 2, 3)
    result: dict[str, Decimal] = {}
    for meter in meters(province):
        factor = rng.uniform(0.8, 1.2)
        if weekend and meter.kind != HEAT:
            factor *= 0.65
        if meter.kind == HEAT:
            factor *= 1.6 if heating else 0.25
        base_units = meter.daily_base * factor
        result[meter.meter_no] = _in_stated_unit(base_units, meter.unit)
    return result


def register_reading(meter: MeterRecord, days_since_epoch: float) -> Decimal:
    """The meter's register (示数) after ``days_since_epoch`` days: monotonic, in its stated unit."""
    advance = _in_stated_unit(meter.daily_base * max(days_since_epoch, 0.0), meter.unit)
    return Decimal(meter.initial_register) + advance


def _in_stated_unit(base_units: float, unit: str) -> Decimal:
    if unit in UNIT_FACTORS_FRACTION:
        value = Decimal(repr(base_units)) / UNIT_FACTORS_FRACTION[unit]
    else:
        value = Decimal(repr(base_units)) / UNIT_FACTORS[unit]
    return value.quantize(Decimal("0.01"))


def _meter_no(enterprise: Enterprise, kind: str, serial: int) -> str:
    # 16 digits: the city's division code, the kind, an 8-digit serial.
    return f"{enterprise.city_code}{_KIND_CODES[kind]}{serial:08d}"
