"""The talent subgraph's DataLoaders: every database read of a request goes through one of these.

A batch becomes one statement per distinct filter and 500 keys (the
adapter chunks its IN lists), whatever the number of entities.
"""

from __future__ import annotations

from adapters.talent import DemandFilter, JobDemand, TalentTotals
from subgraphs.common import Loader, ordered
from subgraphs.common.grouped import per_filter
from subgraphs.common.tenancy import require_enterprise
from subgraphs.talent.context import TalentContext

EnterpriseKey = tuple[str, DemandFilter]


def demands_of_enterprises(context: TalentContext) -> Loader[EnterpriseKey, list[JobDemand]]:
    """(USCC, filter) → that enterprise's demands, newest first."""
    client = context.talent

    async def batch(keys: list[EnterpriseKey]) -> list[list[JobDemand]]:
        return await per_filter(keys, client.demands_for_enterprises)

    return context.loaders.get(batch, name="talent.demands_of_enterprises")


async def park_of(context: TalentContext, uscc: str) -> str | None:
    """The park the database files the enterprise's demands under (the tenancy guard's lookup for park tenants)."""
    demands = await demands_of_enterprises(context).load((uscc, DemandFilter()))
    return next((d.park_code for d in demands if d.park_code), None)


def require_demand(context: TalentContext, demand: JobDemand) -> None:
    """``Forbidden`` unless the demand's employer is in the caller's tenant."""
    require_enterprise(context.tenant, demand.employer_uscc, park_code=demand.park_code)


def demands_by_id(context: TalentContext) -> Loader[str, JobDemand | None]:
    client = context.talent

    async def batch(ids: list[str]) -> list[JobDemand | None]:
        found = await client.demands_by_id(ids)
        return ordered(ids, found.values(), lambda demand: demand.id)

    return context.loaders.get(batch, name="talent.demands_by_id")


def park_totals(context: TalentContext) -> Loader[str, TalentTotals]:
    client = context.talent

    async def batch(codes: list[str]) -> list[TalentTotals]:
        found = await client.park_totals(codes)
        return [found.get(code, TalentTotals(code)) for code in codes]

    return context.loaders.get(batch, name="talent.park_totals")


def city_totals(context: TalentContext) -> Loader[str, TalentTotals]:
    client = context.talent

    async def batch(codes: list[str]) -> list[TalentTotals]:
        found = await client.city_totals(codes)
        return [found.get(code, TalentTotals(code)) for code in codes]

    return context.loaders.get(batch, name="talent.city_totals")
