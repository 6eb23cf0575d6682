"""Seeded records of the social insurance system (社保): insured units, insured persons, contributions.

Pure functions of a :class:`~mocks.data.province.Province`. Almost every
enterprise is an insured unit (参保单位; a few never registered, the showcase
always did); its employees are insured persons who joined in some month and
some of whom stopped contributing. Monthly contributions are not stored: they
follow from who was insured that month and their wages, so a unit's history is
computed on demand and is the same on every call.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property, lru_cache

from mocks.data.province import SHOWCASE_USCC, Province

# Insurance types (险种类型, code table AAE140) with the unit's and the person's rates.
INSURANCE_TYPES: dict[str, tuple[str, float, float]] = {
    "110": ("企业职工基本养老保险", 0.16, 0.08),
    "210": ("失业保险", 0.005, 0.005),
    "310": ("职工基本医疗保险", 0.07, 0.02),
    "410": ("工伤保险", 0.004, 0.0),
    "510": ("生育保险", 0.007, 0.0),
}
# Contribution base floor and ceiling (缴费基数上下限), yuan per month.
BASE_FLOOR_YUAN = 4000
BASE_CEILING_YUAN = 20000
FIRST_PERIOD = "202301"
LAST_PERIOD = "202512"


@dataclass(frozen=True, slots=True)
class InsuredPerson:
    person_number: str  # 个人编号 (AAC001), the system's own number
    resident_id: str
    name: str
    unit_uscc: str
    monthly_wage_yuan: int
    joined: str  # yyyyMM, first insured month
    stopped: str | None  # yyyyMM of the first month without contributions

    def insured_in(self, period: str) -> bool:
        return self.joined <= period and (self.stopped is None or period < self.stopped)

    @property
    def contribution_base_yuan(self) -> int:
        return min(max(self.monthly_wage_yuan, BASE_FLOOR_YUAN), BASE_CEILING_YUAN)


@dataclass(frozen=True, slots=True)
class InsuredUnit:
    unit_number: str  # 单位编号 (AAB001)
    uscc: str
    name: str
    park_code: str
    registered: str  # yyyyMM
    arrears_from: str | None  # first unpaid month (欠费), if the unit is behind


@dataclass(frozen=True, slots=True)
class Contribution:
    """One unit's contribution for one month and one insurance type, in fen."""

    uscc: str
    period: str
    insurance_type: str
    headcount: int
    base_fen: int
    unit_fen: int
    personal_fen: int
    paid: bool


@dataclass(frozen=True, eq=False)
class SocialSecurityData:
    units: tuple[InsuredUnit, ...]
    persons: tuple[InsuredPerson, ...]

    def unit(self, uscc: str) -> InsuredUnit | None:
        return self._units.get(uscc)

    def person(self, resident_id: str) -> InsuredPerson | None:
        return self._persons.get(resident_id)

    def unit_persons(self, uscc: str) -> list[InsuredPerson]:
        return self._by_unit.get(uscc, [])

    def park_units(self, park_code: str) -> list[InsuredUnit]:
        return self._by_park.get(park_code, [])

    def headcount(self, uscc: str, period: str = LAST_PERIOD) -> int:
        return sum(1 for p in self.unit_persons(uscc) if p.insured_in(period))

    def contributions(self, uscc: str, first: str, last: str) -> list[Contribution]:
        """The unit's contributions from ``first`` to ``last`` (yyyyMM, inclusive), month by month."""
        unit = self.unit(uscc)
        if unit is None:
            return []
        rows = []
        for period in periods(max(first, FIRST_PERIOD, unit.registered), min(last, LAST_PERIOD)):
            insured = [p for p in self.unit_persons(uscc) if p.insured_in(period)]
            if not insured:
                continue
            base_fen = sum(p.contribution_base_yuan for p in insured) * 100
            paid = unit.arrears_from is None or period < unit.arrears_from
            for code, (_, unit_rate, personal_rate) in INSURANCE_TYPES.items():
                rows.append(
                    Contribution(
                        uscc,
                        period,
                        code,
                        len(insured),
                        base_fen,
                        round(base_fen * unit_rate),
                        round(base_fen * personal_rate),
                        paid,
                    )
                )
        return rows

    @cached_property
    def _units(self) -> dict[str, InsuredUnit]:
        return {u.uscc: u for u in self.units}

    @cached_property
    def _persons(self) -> dict[str, InsuredPerson]:
        return {p.resident_id: p for p in self.persons}

    @cached_property
    def _by_unit(self) -> dict[str, list[InsuredPerson]]:
        index: dict[str, list[InsuredPerson]] = {}
        for person in self.persons:
            index.setdefault(person.unit_uscc, []).append(person)
        return index

    @cached_property
    def _by_park(self) -> dict[str, list[InsuredUnit]]:
        index: dict[str, list[InsuredUnit]] = {}
        for unit in self.units:
            index.setdefault(unit.park_code, []).append(unit)
        return index


def periods(first: str, last: str) -> list[str]:
    """The months from ``first`` to ``last`` inclusive, as yyyyMM."""
    result = []
    year, month = int(first[:4]), int(first[4:])
    while f"{year:04d}{month:02d}" <= last:
        result.append(f"{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


@lru_cache(maxsize=4)
def generate(province: Province) -> SocialSecurityData:
    """The social insurance system's records for ``province``."""
    rng = random.Random(f"{province.seed}-socialsecurity")
    units: list[InsuredUnit] = []
    registered_uscc: set[str] = set()
    for index, enterprise in enumerate(province.enterprises):
        if enterprise.uscc != SHOWCASE_USCC and rng.random() < 0.03:
            continue  # never registered with social insurance
        registered = max(enterprise.established[:7].replace("-", ""), "201001")
        arrears = rng.choice(("202510", "202511", "202512")) if rng.random() < 0.05 else None
        if enterprise.uscc == SHOWCASE_USCC:
            arrears = None
        units.append(
            InsuredUnit(
                f"34{index + 1:08d}", enterprise.uscc, enterprise.name, enterprise.park_code, registered, arrears
            )
        )
        registered_uscc.add(enterprise.uscc)
    by_uscc = {u.uscc: u for u in units}
    persons: list[InsuredPerson] = []
    for index, person in enumerate(province.persons):
        unit = by_uscc.get(person.employer_uscc)
        if unit is None:
            continue
        joined = max(unit.registered, f"{rng.randint(2012, 2025)}{rng.randint(1, 12):02d}")
        stopped = None
        if rng.random() < 0.1 and joined < LAST_PERIOD:
            stopped = rng.choice(periods(joined, LAST_PERIOD)[1:] or [LAST_PERIOD])
        persons.append(
            InsuredPerson(
                f"3400{index + 1:08d}",
                person.resident_id,
                person.name,
                person.employer_uscc,
                person.monthly_wage_yuan,
                joined,
                stopped,
            )
        )
    return SocialSecurityData(tuple(units), tuple(persons))
