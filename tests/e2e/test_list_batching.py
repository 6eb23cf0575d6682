"""A list of 100 enterprises with a field from every domain costs only the legacy calls the batch limits force.

Issue 9, "what it must show" 4 and 5 (the list half): every ``resolve_reference``
and every list field goes through a per-request DataLoader, so the number of
calls to each legacy system is what its own limits force (codes per batch,
records per page), counted at the mocks and worked out here from those limits
and the seeded data.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from mocks.approvals import app as approvals_platform
from mocks.data import approvals, logistics, socialsecurity
from mocks.logistics import app as logistics_platform
from mocks.registry import app as registry_system
from mocks.socialsecurity import app as social_insurance
from mocks.utilities import app as metering_platform
from tests.e2e import seeded
from tests.support.domain_graph import DomainGraph

pytestmark = pytest.mark.e2e

LIST = """
query HundredEnterprises {
  enterprises(first: 100) {
    edges {
      node {
        uscc
        name
        park { name }
        approvalCases(first: 1) { totalCount }
        jobDemands(first: 1) { totalCount }
        shipments(first: 1) { totalCount }
        socialSecurity { insuredHeadcount contributionSummary(period: "2025") { total } }
        energyUse { tce }
        energyIntensity { tcePerTenThousandYuan }
        meters(first: 1) { edges { node { latestReading { status } } } }
      }
    }
  }
}
"""


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def expected_calls(domain: DomainGraph, enterprises: list[dict[str, Any]]) -> dict[str, int]:
    """Calls per legacy system that its limits force for these enterprises (in the order listed)."""
    province = domain.province
    usccs = [e["uscc"] for e in enterprises]
    parks = {e.park_code for e in province.enterprises if e.uscc in set(usccs)}
    cases = approvals.generate_cases(province)
    waybills = logistics.shipments(province)
    applicant_chunks = _chunks(usccs, approvals_platform.MAX_APPLICANTS)
    party_chunks = _chunks(usccs, logistics_platform.MAX_CODES)
    meters = sum(1 for e in enterprises if e["meters"]["edges"])
    return {
        # One page of the list, then the parks of its enterprises in batches.
        "registry": 1 + math.ceil(len(parks) / registry_system.MAX_BATCH),
        # Applicants per query are capped; each query is paged.
        "approvals": seeded.listing_pages(
            [sum(1 for c in cases if c.uscc in set(chunk)) for chunk in applicant_chunks],
            approvals_platform.MAX_PAGE_SIZE,
        ),
        # The database takes any IN list: one statement.
        "talent": 1,
        # Consignor/consignee codes per listing are capped; each listing is paged by cursor.
        "logistics": seeded.listing_pages(
            [
                sum(1 for s in waybills if s.consignor_uscc in set(chunk) or s.consignee_uscc in set(chunk))
                for chunk in party_chunks
            ],
            logistics_platform.MAX_PAGE,
        ),
        # Insured units, then their contributions of 2025 (12 months: one window), both in batches.
        "socialsecurity": 2 * math.ceil(len(usccs) / social_insurance.MAX_BATCH),
        # Energy use comes from the drops; the live feed is asked for the listed meters in batches.
        "utilities": math.ceil(meters / metering_platform.BATCH_LIMIT),
    }


async def test_a_hundred_enterprises_cost_only_the_calls_the_batch_limits_force(domain: DomainGraph) -> None:
    body = await domain.execute(LIST)

    assert "errors" not in body, body["errors"]
    enterprises = [edge["node"] for edge in body["data"]["enterprises"]["edges"]]
    assert len(enterprises) == 100
    assert all(e["energyUse"] and e["shipments"] and e["approvalCases"] for e in enterprises)
    expected = expected_calls(domain, enterprises)
    assert domain.legacy_calls() == expected
    # Batching at work: far fewer calls than enterprises, in every system.
    assert all(calls <= 15 for calls in expected.values()), expected


async def test_every_enterprise_in_the_list_gets_its_own_data(domain: DomainGraph) -> None:
    body = await domain.execute(LIST)

    enterprises = [edge["node"] for edge in body["data"]["enterprises"]["edges"]]
    cases = approvals.generate_cases(domain.province)
    waybills = logistics.shipments(domain.province)
    insured = socialsecurity.generate(domain.province)
    for enterprise in enterprises:
        uscc = enterprise["uscc"]
        assert enterprise["approvalCases"]["totalCount"] == sum(1 for c in cases if c.uscc == uscc), uscc
        assert enterprise["shipments"]["totalCount"] == sum(
            1 for s in waybills if uscc in (s.consignor_uscc, s.consignee_uscc)
        ), uscc
        assert enterprise["jobDemands"]["totalCount"] == seeded.job_demands(domain.province, uscc, 0)["totalCount"]
        # A few enterprises never registered with social insurance: null for them, and only for them.
        unit = insured.unit(uscc)
        assert (enterprise["socialSecurity"] is None) == (unit is None), uscc
        if unit is not None:
            assert enterprise["socialSecurity"]["insuredHeadcount"] == insured.headcount(uscc), uscc
