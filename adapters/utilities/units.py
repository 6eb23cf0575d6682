"""Energy types, units and standard-coal factors as the metering platform writes them.

The legacy ledger names the same thing several ways (千瓦时 and kWh, 吨 and
立方米 for water, 吉焦 and MJ for heat) and large meters count MWh; here every
quantity is brought to one unit per kind: kWh, m³, GJ. Standard-coal factors
are GB/T 2589-2020 reference values (electricity at its calorific equivalent,
当量值). Water is an energy-consuming medium, not energy, so it has no tce.
"""

from __future__ import annotations

from decimal import Decimal

from adapters.utilities.models import EnergyKind

KIND_NAMES: dict[str, EnergyKind] = {
    "电": EnergyKind.ELECTRICITY,
    "电力": EnergyKind.ELECTRICITY,
    "水": EnergyKind.WATER,
    "自来水": EnergyKind.WATER,
    "天然气": EnergyKind.GAS,
    "燃气": EnergyKind.GAS,
    "热力": EnergyKind.HEAT,
    "热": EnergyKind.HEAT,
}

CANONICAL_UNIT: dict[EnergyKind, str] = {
    EnergyKind.ELECTRICITY: "kWh",
    EnergyKind.WATER: "m³",
    EnergyKind.GAS: "m³",
    EnergyKind.HEAT: "GJ",
}

# Stated unit → (kind it belongs to, factor to the canonical unit). Gas and water share m³.
_UNITS: dict[str, tuple[frozenset[EnergyKind], Decimal]] = {
    "kwh": (frozenset({EnergyKind.ELECTRICITY}), Decimal(1)),
    "千瓦时": (frozenset({EnergyKind.ELECTRICITY}), Decimal(1)),
    "度": (frozenset({EnergyKind.ELECTRICITY}), Decimal(1)),
    "mwh": (frozenset({EnergyKind.ELECTRICITY}), Decimal(1000)),
    "兆瓦时": (frozenset({EnergyKind.ELECTRICITY}), Decimal(1000)),
    "m3": (frozenset({EnergyKind.WATER, EnergyKind.GAS}), Decimal(1)),
    "m³": (frozenset({EnergyKind.WATER, EnergyKind.GAS}), Decimal(1)),
    "立方米": (frozenset({EnergyKind.WATER, EnergyKind.GAS}), Decimal(1)),
    "nm3": (frozenset({EnergyKind.GAS}), Decimal(1)),
    "吨": (frozenset({EnergyKind.WATER}), Decimal(1)),  # a tonne of water is a cubic metre
    "t": (frozenset({EnergyKind.WATER}), Decimal(1)),
    "gj": (frozenset({EnergyKind.HEAT}), Decimal(1)),
    "吉焦": (frozenset({EnergyKind.HEAT}), Decimal(1)),
    "mj": (frozenset({EnergyKind.HEAT}), Decimal("0.001")),
    "兆焦": (frozenset({EnergyKind.HEAT}), Decimal("0.001")),
}

# tce per canonical unit.
TCE_PER_UNIT: dict[EnergyKind, Decimal | None] = {
    EnergyKind.ELECTRICITY: Decimal("0.0001229"),
    EnergyKind.GAS: Decimal("0.0012143"),
    EnergyKind.HEAT: Decimal("0.03412"),
    EnergyKind.WATER: None,
}


class UnknownUnit(ValueError):
    """A unit the platform wrote that we cannot map (or that does not fit the energy type)."""


def unit_factor(unit: str, kind: EnergyKind | None = None) -> tuple[str, Decimal]:
    """The canonical unit and the factor that brings ``unit`` to it; checks it fits ``kind`` when given."""
    entry = _UNITS.get(unit.strip().lower())
    if entry is None:
        raise UnknownUnit(f"unknown unit {unit!r}")
    kinds, factor = entry
    if kind is not None and kind not in kinds:
        raise UnknownUnit(f"unit {unit!r} does not measure {kind.value}")
    canonical = CANONICAL_UNIT[kind] if kind is not None else CANONICAL_UNIT[min(kinds, key=lambda k: k.value)]
    return canonical, factor


def to_tce(kind: EnergyKind, quantity: Decimal) -> Decimal | None:
    factor = TCE_PER_UNIT[kind]
    return None if factor is None else (quantity * factor).quantize(Decimal("0.001"))
