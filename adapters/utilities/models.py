"""What the metering platform knows, in English: meters, daily use, live readings, drop-file reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


class EnergyKind(enum.Enum):
    """The energy a meter measures (能源类型); each has one canonical unit."""

    ELECTRICITY = "electricity"  # 电, kWh
    WATER = "water"  # 水, m³
    GAS = "gas"  # 天然气, m³
    HEAT = "heat"  # 热力, GJ


class MeterStatus(enum.Enum):
    """The live feed's view of a meter's communication (通讯状态)."""

    ONLINE = "online"
    OFFLINE = "offline"
    FAULT = "fault"


class DropStatus(enum.Enum):
    """What happened to a drop file."""

    LOADED = "loaded"  # its good rows are in the ledger (bad rows reported)
    PENDING = "pending"  # no trailer yet: still being written, tried again on the next scan
    REJECTED = "rejected"  # unreadable as a whole (encoding, header, trailer count): nothing loaded


@dataclass(frozen=True, slots=True)
class Meter:
    """One meter (表计) of an enterprise, from the drops."""

    number: str  # 表号
    account_number: str  # 户号
    uscc: str
    park_code: str
    city_code: str
    kind: EnergyKind
    unit: str  # canonical unit of its kind: kWh, m³ or GJ


@dataclass(frozen=True, slots=True)
class DailyUse:
    """One meter's use on one day, in the canonical unit of its kind."""

    meter_number: str
    day: date
    quantity: Decimal
    estimated: bool  # 估抄: the reader estimated it instead of reading the register


@dataclass(frozen=True, slots=True)
class LiveReading:
    """A meter's latest register reading (示数) from the live feed, in the canonical unit."""

    meter_number: str
    register: Decimal | None  # None while the meter is offline
    unit: str
    read_at: datetime  # aware, China Standard Time
    status: MeterStatus


@dataclass(frozen=True, slots=True)
class EnergyTotal:
    """Use of one kind of energy over a period, with its standard-coal equivalent where one applies."""

    kind: EnergyKind
    quantity: Decimal
    unit: str
    tce: Decimal | None  # tonnes of standard coal equivalent; None for water (a medium, not energy)


@dataclass(frozen=True, slots=True)
class UsageSummary:
    """Use over ``start``..``end`` (inclusive) by kind; ``days_covered`` says how many days had a loaded drop."""

    start: date
    end: date
    totals: tuple[EnergyTotal, ...]
    days_covered: int

    @property
    def tce(self) -> Decimal:
        return sum((t.tce for t in self.totals if t.tce is not None), Decimal(0))


@dataclass(frozen=True, slots=True)
class AnnualisedUse:
    """An enterprise's energy use scaled to a year from the drops of the last 365 days."""

    basis_start: date
    basis_end: date
    days_covered: int
    tce: Decimal  # over the days covered
    annualised_tce: Decimal  # tce × 365 / days_covered


@dataclass(frozen=True, slots=True)
class BadRow:
    """A drop row that could not be loaded, and why; the rest of its file still loads."""

    file_name: str
    line: int  # 1-based line in the file (the header is line 1)
    reason: str


@dataclass(frozen=True, slots=True)
class DropFile:
    """The outcome of loading one drop file."""

    name: str
    day: date
    status: DropStatus
    encoding: str | None
    rows_loaded: int
    bad_rows: tuple[BadRow, ...]
    problem: str | None = None  # why the file is pending or rejected
