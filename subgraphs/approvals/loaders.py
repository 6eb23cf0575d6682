"""The approvals subgraph's DataLoaders: every legacy read of a request goes through one of these.

Each batch function turns the keys of one loop tick into as few platform
calls as its batch limits allow (the adapter chunks: 20 applicants per list
query, 50 case numbers per lookup, 10 parks per statistics query).
"""

from __future__ import annotations

from adapters.approvals import ApprovalCase, ApprovalStatus, ParkApprovalStats
from subgraphs.approvals.context import ApprovalsContext
from subgraphs.common import Loader, ordered
from subgraphs.common.grouped import per_filter
from subgraphs.common.tenancy import require_enterprise

ApplicantKey = tuple[str, ApprovalStatus | None]


def cases_of_applicants(context: ApprovalsContext) -> Loader[ApplicantKey, list[ApprovalCase]]:
    """(USCC, status filter) → that applicant's cases, newest first; one platform query per filter and chunk."""
    client = context.approvals

    async def batch(keys: list[ApplicantKey]) -> list[list[ApprovalCase]]:
        return await per_filter(keys, client.cases_for_applicants)

    return context.loaders.get(batch, name="approvals.cases_of_applicants")


def cases_by_id(context: ApprovalsContext) -> Loader[str, ApprovalCase | None]:
    client = context.approvals

    async def batch(ids: list[str]) -> list[ApprovalCase | None]:
        found = await client.cases_by_id(ids)
        return ordered(ids, found.values(), lambda case: case.id)

    return context.loaders.get(batch, name="approvals.cases_by_id")


async def park_of(context: ApprovalsContext, uscc: str) -> str | None:
    """The park the platform files the enterprise's cases in (the tenancy guard's lookup for park tenants)."""
    cases = await cases_of_applicants(context).load((uscc, None))
    return cases[0].park_code if cases else None


def require_case(context: ApprovalsContext, case: ApprovalCase) -> None:
    """``Forbidden`` unless the case's applicant, in the park and city it was filed in, is in the caller's tenant."""
    require_enterprise(context.tenant, case.applicant_uscc, city_code=case.city_code, park_code=case.park_code)


def park_statistics(context: ApprovalsContext) -> Loader[str, ParkApprovalStats]:
    client = context.approvals

    async def batch(codes: list[str]) -> list[ParkApprovalStats]:
        found = await client.park_statistics(codes)
        return [found.get(code, ParkApprovalStats(code)) for code in codes]

    return context.loaders.get(batch, name="approvals.park_statistics")
