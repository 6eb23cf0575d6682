"""The README's single-window query through the gateway over all six legacy systems, whole and with one down.

Issue 9, "what it must show" 1 and 2: one request for the showcase enterprise
returns its registry record, park and city, approvals, job demands,
shipments, social security and energy use, each as the seeded legacy system
holds it; and an outage of any one legacy system costs only that domain's
fields, with an error that names the domain and carries a code and a path.
"""

from __future__ import annotations

from typing import Any

import pytest

from mocks.data.province import SHOWCASE_USCC
from tests.e2e import seeded
from tests.support.domain_graph import DomainGraph
from tests.test_dev_stack import readme_single_window_query

pytestmark = pytest.mark.e2e

QUERY = readme_single_window_query()
# Each domain's fields in the README's query: what an outage of its legacy system may cost, and no more.
DOMAIN_FIELDS = {
    "registry": ("uscc", "name", "industry", "registeredCapital", "annualOutput", "park", "city"),
    "approvals": ("approvalCases",),
    "talent": ("jobDemands",),
    "logistics": ("shipments",),
    "socialsecurity": ("socialSecurity",),
    "utilities": ("energyUse", "energyIntensity"),
}
# The utilities subgraph reads energy use from the daily CSV drops; what its live feed serves is the meters'
# latest readings, so the outage query asks for those too.
WITH_LIVE_READINGS = QUERY.replace(
    "energyUse {", "meters(first: 2) { edges { node { number latestReading { register } } } }\n    energyUse {"
)


async def test_the_readme_query_returns_every_domain_as_the_legacy_systems_hold_it(domain: DomainGraph) -> None:
    body = await domain.execute(QUERY, {"uscc": SHOWCASE_USCC})

    assert "errors" not in body, body["errors"]
    expected = seeded.single_window(domain.province, SHOWCASE_USCC, domain.today)
    enterprise = body["data"]["enterprise"]
    for key, value in expected.items():  # one domain at a time, so that a failure names it
        assert enterprise[key] == value, key
    assert enterprise == expected


async def test_one_request_asks_each_legacy_system_only_what_the_answer_needs(domain: DomainGraph) -> None:
    await domain.execute(QUERY, {"uscc": SHOWCASE_USCC})

    assert domain.legacy_calls_by_endpoint() == {
        # The enterprise, its park and the city list (the registry has no city lookup by code).
        "registry": {
            "POST /scjg/api/v1/qy/plcx": 1,
            "POST /scjg/api/v1/kfq/plcx": 1,
            "GET /scjg/api/v1/xzqh/ds": 1,
        },
        "approvals": {"GET /zwfw/api/v1/bjxx": 1},
        "talent": {"SELECT": 1},
        "logistics": {"GET /api/v2/waybills": 1},
        # The insured unit, then its contributions of 2025.
        "socialsecurity": {"POST /sbws/services/SiQueryService": 2},
        # Energy use comes from the drops already loaded: no request to the live feed.
        "utilities": {},
    }


@pytest.mark.parametrize("down", list(DOMAIN_FIELDS))
async def test_an_outage_costs_only_that_domains_fields(domain: DomainGraph, down: str) -> None:
    # Broken before the first request, so no answer of the system can have been kept to serve instead.
    await domain.set_faults(down, outage=True)

    body = await domain.execute(WITH_LIVE_READINGS, {"uscc": SHOWCASE_USCC})

    errors: list[dict[str, Any]] = body.get("errors", [])
    assert errors, "an outage must be reported"
    for error in errors:
        assert error["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE", error
        assert error["extensions"]["domain"] == down, error
        assert down in error["message"], error
        assert error["path"][0] == "enterprise", error
    if down == "registry":
        # The registry vouches for the enterprise: without it there is no enterprise to extend.
        assert body["data"] == {"enterprise": None}
        assert [e["path"] for e in errors] == [["enterprise"]]
        return
    enterprise = body["data"]["enterprise"]
    meters = [(e["node"]["number"], e["node"]["latestReading"]) for e in enterprise.pop("meters")["edges"]]
    numbers = seeded.meter_numbers(domain.province, SHOWCASE_USCC, first=2)
    expected = seeded.single_window(domain.province, SHOWCASE_USCC, domain.today)
    if down == "utilities":
        # The drops are files already loaded: only the live readings are lost, energy use still arrives.
        assert {tuple(e["path"]) for e in errors} == {
            ("enterprise", "meters", "edges", n, "node", "latestReading") for n in range(2)
        }
        assert meters == [(number, None) for number in numbers]
        assert enterprise == expected
        return
    lost = DOMAIN_FIELDS[down]
    assert {tuple(e["path"]) for e in errors} == {("enterprise", field) for field in lost}
    assert [number for number, _ in meters] == numbers
    assert all(reading is not None for _, reading in meters)
    assert enterprise == {key: (None if key in lost else value) for key, value in expected.items()}
