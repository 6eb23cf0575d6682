"""Translation between the service's XML records and :mod:`adapters.socialsecurity.models`.

The indicator codes (``aab998``, ``aac002``, ``aae140`` …) stay in this module.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from adapters.errors import BadData
from adapters.socialsecurity.models import (
    Gender,
    InsuranceType,
    InsuredPerson,
    InsuredStatus,
    InsuredUnit,
    MonthlyContribution,
    ParkInsurance,
)
from adapters.socialsecurity.soap import SYSTEM

# Code table AAE140 (险种类型).
INSURANCE_CODES: dict[str, InsuranceType] = {
    "110": InsuranceType.PENSION,
    "210": InsuranceType.UNEMPLOYMENT,
    "310": InsuranceType.MEDICAL,
    "410": InsuranceType.WORK_INJURY,
    "510": InsuranceType.MATERNITY,
}
INSURANCE_CODE_OF = {kind: code for code, kind in INSURANCE_CODES.items()}
_Errors = (KeyError, ValueError, TypeError, InvalidOperation)


def unit(node: ET.Element) -> InsuredUnit:
    try:
        return InsuredUnit(
            uscc=_text(node, "aab998"),
            unit_number=_text(node, "aab001"),
            name=_text(node, "aab004"),
            park_code=_text(node, "yqbm"),
            insured_since=month(_text(node, "cbny")),
            insured_headcount=int(_text(node, "cbrs")),
            in_arrears=_text(node, "qfbz") == "1",
        )
    except _Errors as exc:
        raise BadData(SYSTEM, f"unreadable unit record: {exc!r}") from exc


def contribution(node: ET.Element) -> MonthlyContribution:
    try:
        return MonthlyContribution(
            uscc=_text(node, "aab998"),
            month=month(_text(node, "aae002")),
            insurance_type=INSURANCE_CODES[_text(node, "aae140")],
            headcount=int(_text(node, "cbrs")),
            base_yuan=Decimal(_text(node, "aae180")),
            unit_yuan=Decimal(_text(node, "dwjfje")),
            personal_yuan=Decimal(_text(node, "grjfje")),
            paid=_text(node, "jfbz") == "1",
        )
    except _Errors as exc:
        raise BadData(SYSTEM, f"unreadable contribution row: {exc!r}") from exc


def person(node: ET.Element) -> InsuredPerson:
    try:
        return InsuredPerson(
            resident_id=_text(node, "aac002"),
            person_number=_text(node, "aac001"),
            name=_text(node, "aac003"),
            gender={"1": Gender.MALE, "2": Gender.FEMALE}[_text(node, "aac004")],
            birth_date=datetime.strptime(_text(node, "aac006"), "%Y%m%d").date(),
            employer_uscc=_text(node, "aab998"),
            status={"1": InsuredStatus.ACTIVE, "2": InsuredStatus.SUSPENDED}[_text(node, "aac008")],
            insured_since=month(_text(node, "cbny")),
            contribution_base_yuan=Decimal(_text(node, "aae180")),
        )
    except _Errors as exc:
        raise BadData(SYSTEM, f"unreadable person record: {exc!r}") from exc


def park(node: ET.Element) -> ParkInsurance:
    try:
        return ParkInsurance(_text(node, "yqbm"), int(_text(node, "dws")), int(_text(node, "cbrs")))
    except _Errors as exc:
        raise BadData(SYSTEM, f"unreadable park statistics: {exc!r}") from exc


def month(raw: str) -> date:
    """``yyyyMM`` → the first day of that month."""
    if len(raw) != 6 or not raw.isdigit():
        raise ValueError(f"not a yyyyMM month: {raw!r}")
    return date(int(raw[:4]), int(raw[4:]), 1)


def period(value: date) -> str:
    """A month as the service writes it (``yyyyMM``)."""
    return f"{value.year:04d}{value.month:02d}"


def _text(node: ET.Element, tag: str) -> str:
    value = node.findtext(tag)
    if value is None:
        raise KeyError(tag)
    return value.strip()
