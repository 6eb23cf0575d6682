"""Insured units, insured persons and contributions, in ParkGraph's own words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum


class InsuranceType(Enum):
    """The five social insurances (五险)."""

    PENSION = "PENSION"  # 养老保险
    UNEMPLOYMENT = "UNEMPLOYMENT"  # 失业保险
    MEDICAL = "MEDICAL"  # 医疗保险
    WORK_INJURY = "WORK_INJURY"  # 工伤保险
    MATERNITY = "MATERNITY"  # 生育保险


class Gender(Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"


class InsuredStatus(Enum):
    """A person's insurance status (参保状态)."""

    ACTIVE = "ACTIVE"  # 正常参保
    SUSPENDED = "SUSPENDED"  # 暂停缴费


@dataclass(frozen=True, slots=True)
class InsuredUnit:
    """An enterprise as an insured unit (参保单位)."""

    uscc: str
    unit_number: str
    name: str
    park_code: str
    insured_since: date  # first day of the month the unit registered
    insured_headcount: int
    in_arrears: bool  # 欠费


@dataclass(frozen=True, slots=True)
class MonthlyContribution:
    """A unit's contribution for one month and one insurance type (in yuan)."""

    uscc: str
    month: date  # first day of the contribution month (费款所属期)
    insurance_type: InsuranceType
    headcount: int
    base_yuan: Decimal  # 缴费基数, summed over the insured
    unit_yuan: Decimal
    personal_yuan: Decimal
    paid: bool


@dataclass(frozen=True, slots=True)
class InsuredPerson:
    """A person insured through an employer. Personal data: mask at the GraphQL edge."""

    resident_id: str
    person_number: str
    name: str
    gender: Gender
    birth_date: date
    employer_uscc: str
    status: InsuredStatus
    insured_since: date
    contribution_base_yuan: Decimal


@dataclass(frozen=True, slots=True)
class PersonPage:
    total: int
    persons: tuple[InsuredPerson, ...]


@dataclass(frozen=True, slots=True)
class ParkInsurance:
    """A development zone's insured units and persons."""

    park_code: str
    unit_count: int
    insured_headcount: int
