"""What the seeded province says the single-window answer must be, computed from ``mocks/data`` alone.

These are the legacy systems' own records, worked out the way a clerk would
(newest case first, contributions summed in fen, meter use converted to the
standard units and to tce by GB/T 2589), without any adapter or subgraph
code, so that a mapping bug in the graph cannot also be in the expectation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from mocks.data import approvals, logistics, socialsecurity, talent, utilities
from mocks.data.province import Province

APPROVAL_STATUS = {
    "01": "SUBMITTED",
    "02": "ACCEPTED",
    "03": "UNDER_REVIEW",
    "04": "SUPPLEMENT_REQUIRED",
    "05": "APPROVED",
    "06": "REJECTED",
    "07": "WITHDRAWN",
}
SHIPMENT_STATUS = {"10": "BOOKED", "20": "PICKED_UP", "30": "IN_TRANSIT", "40": "DELIVERED", "90": "CANCELLED"}
# Stated unit → factor to kWh, m³ or GJ (the metering platform writes the same unit several ways).
UNIT_FACTOR = {"MWh": Decimal(1000), "MJ": Decimal("0.001"), "兆焦": Decimal("0.001")}
# tce per kWh, m³ of gas, GJ (GB/T 2589-2020 reference values); water is a medium, not energy.
TCE_PER_UNIT = {
    utilities.ELECTRICITY: Decimal("0.0001229"),
    utilities.GAS: Decimal("0.0012143"),
    utilities.HEAT: Decimal("0.03412"),
}
INDUSTRY_NAMES = {
    "C": "制造业",
    "I": "信息传输、软件和信息技术服务业",
    "G": "交通运输、仓储和邮政业",
    "M": "科学研究和技术服务业",
    "D": "电力、热力、燃气及水生产和供应业",
}


def single_window(province: Province, uscc: str, today: date) -> dict[str, Any]:
    """The README's ``query SingleWindow`` answer for ``uscc``, with the drops of the 7 days before ``today``."""
    yesterday = today - timedelta(days=1)
    days, tce = energy_use(province, uscc, yesterday - timedelta(days=6), yesterday)
    return {
        **registry(province, uscc),
        "approvalCases": approval_cases(province, uscc, first=3),
        "jobDemands": job_demands(province, uscc, first=3),
        "shipments": shipments(province, uscc, first=3),
        "socialSecurity": social_security(province, uscc, "2025"),
        # The default period is the 30 days up to yesterday, of which the drops cover the last 7.
        "energyUse": {
            "from": (yesterday - timedelta(days=29)).isoformat(),
            "to": yesterday.isoformat(),
            "daysCovered": days,
            "tce": str(tce),
        },
        "energyIntensity": {"tcePerTenThousandYuan": energy_intensity(province, uscc, days, tce)},
    }


def registry(province: Province, uscc: str) -> dict[str, Any]:
    """The registry's record with its park and city, as the README's query selects it."""
    enterprise = next(e for e in province.enterprises if e.uscc == uscc)
    park = next(p for p in province.parks if p.code == enterprise.park_code)
    city = next(c for c in province.cities if c.code == enterprise.city_code)
    return {
        "uscc": uscc,
        "name": enterprise.name,
        "industry": {"name": INDUSTRY_NAMES[enterprise.industry_code]},
        "registeredCapital": f"{enterprise.registered_capital_wan * 10_000}.00",
        "annualOutput": f"{enterprise.annual_output_wan * 10_000}.00",
        "park": {"code": park.code, "name": park.name, "level": park.level},
        "city": {"code": city.code, "name": city.name},
    }


def approval_cases(province: Province, uscc: str, first: int) -> dict[str, Any]:
    cases = [c for c in approvals.generate_cases(province) if c.uscc == uscc]
    cases.sort(key=lambda c: (c.submitted_at, c.case_no), reverse=True)
    return {
        "totalCount": len(cases),
        "edges": [{"node": _case(c)} for c in cases[:first]],
    }


def job_demands(province: Province, uscc: str, first: int) -> dict[str, Any]:
    # Newest posting first; the database numbers rows in insertion order, which breaks ties (later first).
    rows = [(index, d) for index, d in enumerate(talent.generate_demands(province)) if d.uscc == uscc]
    rows.sort(key=lambda pair: (pair[1].posted_on, pair[0]), reverse=True)
    return {
        "totalCount": len(rows),
        "edges": [{"node": {"title": d.title, "headcount": d.headcount}} for _, d in rows[:first]],
    }


def shipments(province: Province, uscc: str, first: int) -> dict[str, Any]:
    """Waybills the enterprise sent or receives, oldest first, the consignee's name as the waybill has it."""
    mine = [s for s in logistics.shipments(province) if uscc in (s.consignor_uscc, s.consignee_uscc)]
    return {
        "totalCount": len(mine),
        "edges": [
            {
                "node": {
                    "waybillNo": s.waybill_no,
                    "status": SHIPMENT_STATUS[s.status],
                    "consignee": {"name": s.consignee_name},
                }
            }
            for s in mine[:first]
        ],
    }


def social_security(province: Province, uscc: str, year: str) -> dict[str, Any]:
    data = socialsecurity.generate(province)
    unit = data.unit(uscc)
    assert unit is not None
    rows = data.contributions(uscc, f"{year}01", f"{year}12")
    total_fen = sum(r.unit_fen + r.personal_fen for r in rows)
    return {
        "insuredHeadcount": data.headcount(uscc),
        "inArrears": unit.arrears_from is not None,
        "contributionSummary": {"monthsContributed": len({r.period for r in rows}), "total": _yuan(total_fen)},
    }


def energy_use(province: Province, uscc: str, start: date, end: date) -> tuple[int, Decimal]:
    """Days with a drop and the tce of ``uscc``'s meters over ``start..end`` (every day has its drop)."""
    sums: dict[str, Decimal] = {}
    days = 0
    day = start
    while day <= end:
        days += 1
        use = utilities.daily_use(province, day)
        for meter in utilities.meters_of(province, uscc):
            quantity = use[meter.meter_no] * UNIT_FACTOR.get(meter.unit, Decimal(1))
            sums[meter.kind] = sums.get(meter.kind, Decimal(0)) + quantity
        day += timedelta(days=1)
    tce = sum(
        ((q * TCE_PER_UNIT[kind]).quantize(Decimal("0.001")) for kind, q in sums.items() if kind in TCE_PER_UNIT),
        Decimal(0),
    )
    return days, tce


def energy_intensity(province: Province, uscc: str, days: int, tce: Decimal) -> str:
    """tce per 10,000 yuan of output, the ``days`` of drops scaled to a year."""
    enterprise = next(e for e in province.enterprises if e.uscc == uscc)
    annualised = (tce * 365 / days).quantize(Decimal("0.001"))
    return str((annualised / enterprise.annual_output_wan).quantize(Decimal("0.0001")))


def meter_numbers(province: Province, uscc: str, first: int) -> list[str]:
    """The enterprise's first meters as the platform lists them: electricity, water, gas, heat."""
    order = (utilities.ELECTRICITY, utilities.WATER, utilities.GAS, utilities.HEAT)
    found = sorted(utilities.meters_of(province, uscc), key=lambda m: (order.index(m.kind), m.meter_no))
    return [m.meter_no for m in found[:first]]


def listing_pages(matches: Sequence[int], page_size: int) -> int:
    """Requests to page through listings of ``matches`` records each (an empty listing still costs one)."""
    return sum(max(1, math.ceil(n / page_size)) for n in matches)


def _case(case: approvals.ApprovalRecord) -> dict[str, Any]:
    return {"itemName": case.item_name, "status": APPROVAL_STATUS[case.status], "submittedAt": _cst(case.submitted_at)}


def _cst(stamp: str) -> str:
    return datetime.strptime(stamp, approvals.TIME_FORMAT).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"
