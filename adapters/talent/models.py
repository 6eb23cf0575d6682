"""What the talent database knows, in English and with proper types (no legacy column names)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class EducationLevel(enum.Enum):
    """学历要求, after GB/T 4658; ``NONE`` is 不限 (no requirement)."""

    DOCTORATE = "DOCTORATE"  # 博士研究生
    MASTER = "MASTER"  # 硕士研究生
    BACHELOR = "BACHELOR"  # 大学本科
    ASSOCIATE = "ASSOCIATE"  # 大学专科
    SECONDARY_VOCATIONAL = "SECONDARY_VOCATIONAL"  # 中等专科
    HIGH_SCHOOL = "HIGH_SCHOOL"  # 普通高中
    JUNIOR_HIGH = "JUNIOR_HIGH"  # 初中
    OTHER = "OTHER"  # 其他
    NONE = "NONE"  # 不限


class DemandStatus(enum.Enum):
    OPEN = "OPEN"  # 有效
    CLOSED = "CLOSED"  # 撤销或已招满


@dataclass(frozen=True, slots=True)
class Occupation:
    """职业: an occupation of the national classification (GB/T 6565) and its major group (大类)."""

    code: str
    name: str
    major_group_code: str | None
    major_group_name: str | None


@dataclass(frozen=True, slots=True)
class JobDemand:
    """用工需求: one posting of an enterprise for a number of workers."""

    id: str
    employer_uscc: str
    employer_name: str
    park_code: str | None
    title: str
    headcount: int
    education: EducationLevel
    education_label: str  # the code table's Chinese label, "不限" for NONE
    occupation: Occupation
    salary_min: Decimal | None  # monthly, yuan; None when negotiable (面议)
    salary_max: Decimal | None
    posted_on: date
    valid_until: date | None
    status: DemandStatus
    contact_name: str  # personal data
    contact_phone: str  # personal data


@dataclass(frozen=True, slots=True)
class DemandFilter:
    """Which demands a list wants; every field narrows it. Hashable, so it can be part of a DataLoader key."""

    occupation_code: str | None = None  # an occupation or a group: "2" matches "2-02-10-03"
    education: EducationLevel | None = None
    open_only: bool = False  # status OPEN and not past its validity
    posted_since: date | None = None


@dataclass(frozen=True, slots=True)
class NewJobDemand:
    """What an enterprise posts."""

    employer_uscc: str
    title: str
    headcount: int
    occupation_code: str
    education: EducationLevel = EducationLevel.NONE
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    valid_until: date | None = None
    contact_name: str = ""
    contact_phone: str = ""


@dataclass(frozen=True, slots=True)
class TalentTotals:
    """Open demand of a park or a city: postings, positions, positions by education level."""

    area_code: str
    open_postings: int = 0
    open_positions: int = 0
    positions_by_education: Mapping[EducationLevel, int] = field(default_factory=dict)
