"""Maps rows of the talent database's legacy tables to :mod:`adapters.talent.models`.

Owns the database's conventions: GB/T 4658 education codes (with NULL and
``''`` both meaning no requirement), ``YYYYMMDD`` date strings, the salary as
free text (``"8000-12000"``, ``"8000以上"``, ``"面议"``), ``ZT`` flags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from adapters.errors import BadData
from adapters.talent.models import DemandStatus, EducationLevel, JobDemand, Occupation

SYSTEM = "talent"

EDUCATION_CODES: Mapping[str, EducationLevel] = {
    "11": EducationLevel.DOCTORATE,
    "14": EducationLevel.MASTER,
    "20": EducationLevel.BACHELOR,
    "30": EducationLevel.ASSOCIATE,
    "40": EducationLevel.SECONDARY_VOCATIONAL,
    "60": EducationLevel.HIGH_SCHOOL,
    "70": EducationLevel.JUNIOR_HIGH,
    "90": EducationLevel.OTHER,
}
CODE_OF_EDUCATION: Mapping[EducationLevel, str] = {level: code for code, level in EDUCATION_CODES.items()}
NO_REQUIREMENT_LABEL = "不限"
NEGOTIABLE = "面议"
_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-|~|至)\s*(\d+(?:\.\d+)?)\s*$")
_AT_LEAST = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:以上|起)?\s*$")


def education_of(code: str | None) -> EducationLevel:
    if code is None or not code.strip():
        return EducationLevel.NONE
    try:
        return EDUCATION_CODES[code.strip()]
    except KeyError as exc:
        raise BadData(SYSTEM, f"unknown education code {code!r}") from exc


def parse_day(value: str | None, name: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), "%Y%m%d").date()
    except ValueError as exc:
        raise BadData(SYSTEM, f"{name} is not YYYYMMDD: {value!r}") from exc


def parse_salary(text: str | None) -> tuple[Decimal | None, Decimal | None]:
    """The free-text salary range as (min, max) yuan; negotiable or unreadable text gives (None, None)."""
    if text is None:
        return None, None
    if match := _RANGE.match(text):
        return Decimal(match[1]), Decimal(match[2])
    if match := _AT_LEAST.match(text):
        return Decimal(match[1]), None
    return None, None


def format_salary(low: Decimal | None, high: Decimal | None) -> str:
    if low is None and high is None:
        return NEGOTIABLE
    if high is None:
        return f"{low:f}以上"
    return f"{(low if low is not None else Decimal(0)):f}-{high:f}"


def to_job_demand(row: Mapping[str, Any]) -> JobDemand:
    """A row of the demand query (demand joined with enterprise and code tables) as a :class:`JobDemand`."""
    try:
        education = education_of(row["XLYQ"])
        posted = parse_day(row["FBRQ"], "FBRQ")
        if posted is None:
            raise BadData(SYSTEM, f"demand {row['XQID']} has no FBRQ")
        if row["ZYMC"] is None:
            raise BadData(SYSTEM, f"demand {row['XQID']} has occupation {row['ZYDM']!r} missing from T_ZD_ZY")
        salary_min, salary_max = parse_salary(row["XZFW"])
        return JobDemand(
            id=str(row["XQID"]),
            employer_uscc=row["QYDM"].strip(),
            employer_name=(row["QYMC"] or "").strip(),
            park_code=row["YQDM"],
            title=(row["GWMC"] or "").strip(),
            headcount=int(row["XQRS"]),
            education=education,
            education_label=NO_REQUIREMENT_LABEL if education is EducationLevel.NONE else (row["XLMC"] or "").strip(),
            occupation=Occupation(row["ZYDM"].strip(), row["ZYMC"].strip(), row["DLDM"], row["DLMC"]),
            salary_min=salary_min,
            salary_max=salary_max,
            posted_on=posted,
            valid_until=parse_day(row["YXQZ"], "YXQZ"),
            status=DemandStatus.OPEN if (row["ZT"] or "").strip() == "1" else DemandStatus.CLOSED,
            contact_name=(row["LXR"] or "").strip(),
            contact_phone=(row["LXDH"] or "").strip(),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadData(SYSTEM, f"unreadable demand row: {exc}") from exc
