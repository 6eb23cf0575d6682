"""What the drops should add up to, computed from the seeded records the mock wrote them from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from adapters.utilities.drops import parse_drop
from mocks.data.province import Province
from mocks.data.utilities import ELECTRICITY, GAS, HEAT, UNIT_FACTORS, UNIT_FACTORS_FRACTION, daily_use, meters
from mocks.utilities.drops import file_name, render_drop

_KINDS = {ELECTRICITY: "electricity", "水": "water", GAS: "gas", HEAT: "heat"}


def bad_lines(province: Province, day: date) -> set[int]:
    """The lines of the day's file that the mock corrupted (found by parsing, checked elsewhere)."""
    parsed = parse_drop(file_name(day), render_drop(province, day))
    return {row.line for row in parsed.bad_rows}


def use_by_kind(province: Province, uscc: str, days: Iterable[date]) -> dict[str, Decimal]:
    """An enterprise's use per kind in canonical units, leaving out rows the mock corrupted."""
    ledger = meters(province)
    totals: dict[str, Decimal] = {}
    for day in days:
        skip = bad_lines(province, day)
        use = daily_use(province, day)
        for position, meter in enumerate(ledger):
            if meter.uscc != uscc or position + 2 in skip:  # line 1 is the header
                continue
            factor = UNIT_FACTORS_FRACTION.get(meter.unit) or Decimal(UNIT_FACTORS[meter.unit])
            kind = _KINDS[meter.kind]
            totals[kind] = totals.get(kind, Decimal(0)) + use[meter.meter_no] * factor
    return totals
