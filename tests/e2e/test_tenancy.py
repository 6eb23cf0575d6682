"""Three-level tenancy across every domain, through the gateway with real tokens and straight to each subgraph.

The gateway runs the real auth plugin (ES256 tokens verified against a JWKS served by an httpx mock
transport); the subgraphs verify the identity it signs with the graph's key. The showcase enterprise
sits in 合肥 (340100), park 340100-HTZ.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from auth.identity import IDENTITY_HEADER, Identity, IdentitySigner, parse_tenant
from mocks.data.province import SHOWCASE_USCC
from tests.support.bearer_tokens import TestTokens
from tests.support.domain_graph import TODAY, DomainGraph, domain_graph

TOKENS = TestTokens(kid="tenancy")
SHOWCASE_PARK = "340100-HTZ"

# One enterprise field per domain (the registry is tested in tests/subgraphs/registry/test_tenancy.py).
ENTERPRISE_FIELDS = {
    "approvals": "approvalCases { totalCount }",
    "talent": "jobDemands { totalCount }",
    "logistics": "shipments { totalCount }",
    "socialsecurity": "socialSecurity { insuredHeadcount }",
    "utilities": "meters { totalCount }",
}
PARK_FIELDS = {
    "approvals": "approvalStats { total }",
    "talent": "talentDemand { openPositions }",
    "logistics": "logisticsStats { shipmentCount }",
    "socialsecurity": "insuredHeadcount",
    "utilities": "energyUse { totals { kind } }",
}
CITY_FIELDS = {"talent": "talentDemand { openPositions }", "utilities": "energyUse { totals { kind } }"}


@pytest.fixture
async def graph(tmp_path: Path) -> AsyncIterator[DomainGraph]:
    verifier = TOKENS.verifier()
    async with domain_graph(tmp_path, today=TODAY, auth=verifier) as running:
        yield running
    await verifier.aclose()


def bearer(tenant: str, scope: str = "graph:read") -> dict[str, str]:
    return TOKENS.bearer(tenant, scope)


def neighbours(graph: DomainGraph) -> dict[str, Any]:
    """Another park of the showcase's city, and an enterprise and a park of another city."""
    province = graph.province
    same_city = next(e for e in province.enterprises if e.city_code == "340100" and e.park_code != SHOWCASE_PARK)
    other_city = next(e for e in province.enterprises if e.city_code != "340100")
    return {"same_city": same_city, "other_city": other_city}


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.mark.parametrize("domain_name", sorted(ENTERPRISE_FIELDS))
async def test_entities_straight_to_the_subgraph_answer_only_within_the_signed_tenant(
    graph: DomainGraph, domain_name: str
) -> None:
    others = neighbours(graph)
    selection = ENTERPRISE_FIELDS[domain_name]
    query = f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on Enterprise {{ {selection} }} }} }}"
    signer = IdentitySigner(graph.identity_key)

    async def ask(tenant: str, uscc: str) -> dict[str, Any]:
        identity = Identity(subject="s", client_id="c", tenant=parse_tenant(tenant), scopes=frozenset({"graph:read"}))
        headers = {IDENTITY_HEADER: signer.sign(identity, domain_name)}
        variables = {"r": [{"__typename": "Enterprise", "uscc": uscc}]}
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                graph.subgraph_urls[domain_name], json={"query": query, "variables": variables}, headers=headers
            )
        body: dict[str, Any] = response.json()
        return body

    # Within the tenant: the city, its park and the enterprise itself see the showcase's data.
    for tenant in ("province", "city:340100", f"park:{SHOWCASE_PARK}", f"enterprise:{SHOWCASE_USCC}"):
        body = await ask(tenant, SHOWCASE_USCC)
        assert "errors" not in body, (tenant, body)
        assert body["data"]["_entities"][0] is not None
    # Outside: another city, another park of the same city, another enterprise.
    refused = [
        ("city:340100", others["other_city"].uscc),
        (f"park:{SHOWCASE_PARK}", others["same_city"].uscc),
        (f"park:{SHOWCASE_PARK}", others["other_city"].uscc),
        (f"enterprise:{SHOWCASE_USCC}", others["same_city"].uscc),
        (f"city:{others['other_city'].city_code}", SHOWCASE_USCC),
    ]
    for tenant, uscc in refused:
        body = await ask(tenant, uscc)
        assert codes(body) == ["FORBIDDEN"], (tenant, uscc, body)
        entity = body["data"]["_entities"][0]
        assert entity is None or set(entity.values()) == {None}, body  # null, at the field or (non-null) above


@pytest.mark.parametrize("domain_name", sorted(PARK_FIELDS))
async def test_park_totals_through_the_gateway_only_for_the_parks_tenants(graph: DomainGraph, domain_name: str) -> None:
    others = neighbours(graph)
    query = f"query($code: ID!) {{ park(code: $code) {{ name {PARK_FIELDS[domain_name]} }} }}"
    field = PARK_FIELDS[domain_name].split(" ")[0]
    for tenant, park, allowed in [
        ("city:340100", SHOWCASE_PARK, True),
        (f"park:{SHOWCASE_PARK}", SHOWCASE_PARK, True),
        ("city:340100", others["other_city"].park_code, False),  # another city's park
        (f"park:{SHOWCASE_PARK}", others["same_city"].park_code, False),  # a neighbouring park
        (f"enterprise:{SHOWCASE_USCC}", SHOWCASE_PARK, False),  # an enterprise sees no park totals
    ]:
        body = await graph.execute(query, {"code": park}, bearer(tenant))
        assert body["data"]["park"]["name"], body  # the park itself is public
        if allowed:
            assert "errors" not in body, (tenant, park, body)
            assert body["data"]["park"][field] is not None
        else:
            assert codes(body) == ["FORBIDDEN"], (tenant, park, body)
            assert body["data"]["park"][field] is None


@pytest.mark.parametrize("domain_name", sorted(CITY_FIELDS))
async def test_city_totals_only_for_the_city_and_the_province(graph: DomainGraph, domain_name: str) -> None:
    query = f'{{ city(code: "340100") {{ name {CITY_FIELDS[domain_name]} }} }}'
    field = CITY_FIELDS[domain_name].split(" ")[0]
    assert "errors" not in await graph.execute(query, None, bearer("city:340100"))
    for tenant in ("city:340200", f"park:{SHOWCASE_PARK}", f"enterprise:{SHOWCASE_USCC}"):
        body = await graph.execute(query, None, bearer(tenant))
        assert codes(body) == ["FORBIDDEN"], (tenant, body)
        assert body["data"]["city"][field] is None


async def test_a_city_cannot_submit_an_application_for_another_citys_enterprise(graph: DomainGraph) -> None:
    others = neighbours(graph)
    mutation = """mutation($uscc: USCC!) { submitApplication(idempotencyKey: "tenancy-1", input: {
        applicant: $uscc, itemCode: "340100-GC-001", contactName: "张三", contactPhone: "13900000000" }) { id } }"""
    before = graph.legacy_calls()["approvals"]
    body = await graph.execute(
        mutation,
        {"uscc": SHOWCASE_USCC},
        bearer(f"city:{others['other_city'].city_code}", "graph:read graph:write approvals:write"),
    )
    assert codes(body) == ["FORBIDDEN"], body
    assert graph.legacy_calls()["approvals"] == before  # refused before the platform saw anything


async def test_a_park_sees_its_enterprises_domains_through_the_single_window(graph: DomainGraph) -> None:
    fields = " ".join(ENTERPRISE_FIELDS.values())
    query = f'{{ enterprise(uscc: "{SHOWCASE_USCC}") {{ name {fields} }} }}'
    body = await graph.execute(query, None, bearer(f"park:{SHOWCASE_PARK}"))
    assert "errors" not in body, body
    assert body["data"]["enterprise"]["approvalCases"]["totalCount"] >= 0
    # The same query for an enterprise of the neighbouring park: the registry already refuses it whole.
    other = neighbours(graph)["same_city"].uscc
    body = await graph.execute(query.replace(SHOWCASE_USCC, other), None, bearer(f"park:{SHOWCASE_PARK}"))
    assert body["data"]["enterprise"] is None and "FORBIDDEN" in codes(body)
