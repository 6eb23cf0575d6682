"""The registry's records as typed domain objects, with English names and yuan amounts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


class ParkLevel(Enum):
    """Whether a development zone was approved by the State Council (国家级) or the province (省级)."""

    NATIONAL = "NATIONAL"
    PROVINCIAL = "PROVINCIAL"


@dataclass(frozen=True, slots=True)
class Enterprise:
    uscc: str
    name: str
    legal_representative: str  # personal data
    phone: str  # personal data
    registered_capital: Decimal  # yuan (the registry states 万元)
    established: datetime.date
    industry_code: str  # GB/T 4754 section
    industry_name: str
    park_code: str | None
    city_code: str
    annual_output: Decimal | None  # yuan
    status: str  # 登记状态 as the registry writes it, e.g. 存续


@dataclass(frozen=True, slots=True)
class Park:
    code: str
    name: str
    city_code: str
    level: ParkLevel
    approved: datetime.date
    enterprise_count: int


@dataclass(frozen=True, slots=True)
class City:
    code: str
    name: str
    province_code: str


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A slice of a list and the size of the whole list."""

    items: tuple[T, ...]
    total: int


@dataclass(frozen=True, slots=True)
class EnterpriseFilter:
    park_code: str | None = None
    city_code: str | None = None
    industry_code: str | None = None
    name_contains: str | None = None
