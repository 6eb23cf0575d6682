"""The per-request DataLoaders of the social security subgraph.

Units, persons and park totals are batched by the service's limit of 20 (the
client chunks); contributions are one loader per (months, insurance type), so
N enterprises asking the same period cost ``ceil(N / 20)`` SOAP calls per
36-month window. A unit's persons are paged by the service one unit at a
time: those calls run concurrently, bounded by the client's semaphore.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from adapters.socialsecurity.models import (
    InsuranceType,
    InsuredPerson,
    InsuredUnit,
    MonthlyContribution,
    ParkInsurance,
    PersonPage,
)
from subgraphs.common import Loader
from subgraphs.socialsecurity.context import SocialSecurityContext


@dataclass(frozen=True, slots=True)
class Months:
    """Which contributions: from the first to the last month (inclusive), all or one insurance type."""

    first: date
    last: date
    insurance_type: InsuranceType | None = None


@dataclass(frozen=True, slots=True)
class PersonSlice:
    uscc: str
    page: int
    page_size: int


def units(context: SocialSecurityContext) -> Loader[str, InsuredUnit | None]:
    client = context.social_security

    async def batch(usccs: list[str]) -> list[InsuredUnit | None]:
        found = await client.units(usccs)
        return [found.get(uscc) for uscc in usccs]

    return context.loaders.get(batch, name="socialsecurity.units")


def contributions(context: SocialSecurityContext, months: Months) -> Loader[str, list[MonthlyContribution]]:
    client = context.social_security

    async def batch(usccs: list[str]) -> list[list[MonthlyContribution]]:
        found = await client.contributions(usccs, months.first, months.last, months.insurance_type)
        return [found.get(uscc, []) for uscc in usccs]

    return context.loaders.get(batch, name=("socialsecurity.contributions", months))


def persons(context: SocialSecurityContext) -> Loader[str, InsuredPerson | None]:
    client = context.social_security

    async def batch(resident_ids: list[str]) -> list[InsuredPerson | None]:
        found = await client.persons(resident_ids)
        return [found.get(resident_id) for resident_id in resident_ids]

    return context.loaders.get(batch, name="socialsecurity.persons")


def unit_persons(context: SocialSecurityContext) -> Loader[PersonSlice, PersonPage]:
    client = context.social_security

    async def batch(slices: list[PersonSlice]) -> list[PersonPage]:
        pages = await asyncio.gather(*(client.unit_persons(s.uscc, s.page, s.page_size) for s in slices))
        return list(pages)

    return context.loaders.get(batch, name="socialsecurity.unit_persons")


def park_insurance(context: SocialSecurityContext) -> Loader[str, ParkInsurance | None]:
    client = context.social_security

    async def batch(park_codes: list[str]) -> list[ParkInsurance | None]:
        found = await client.park_insurance(park_codes)
        return [found.get(code) for code in park_codes]

    return context.loaders.get(batch, name="socialsecurity.park_insurance")


async def park_of(context: SocialSecurityContext, uscc: str) -> str | None:
    """The park the agency registers the insured unit in (the tenancy guard's lookup for park tenants)."""
    unit = await units(context).load(uscc)
    return None if unit is None else unit.park_code
