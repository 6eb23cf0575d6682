"""Every mutation of the domain graph needs its domain's write scope (@requiresScopes), enforced by the gateway.

Through the gateway with the real auth plugin: a caller without the scope gets ``FORBIDDEN`` at the
mutation's path and the legacy system never sees the write (refused before planning); with the scope
the same mutation goes through. The scopes are those the supergraph declares, so the test also shows
that the stored supergraph carries them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.supergraph import load_supergraph
from mocks.data.province import SHOWCASE_USCC
from tests.support.bearer_tokens import TestTokens
from tests.support.domain_graph import TODAY, DomainGraph, domain_graph

TOKENS = TestTokens(kid="mutation-scopes")
SHOWCASE_PARK = "340100-HTZ"


@pytest.fixture
async def graph(tmp_path: Path) -> AsyncIterator[DomainGraph]:
    verifier = TOKENS.verifier()
    async with domain_graph(tmp_path, today=TODAY, auth=verifier) as running:
        yield running
    await verifier.aclose()


def _mutations(graph: DomainGraph) -> dict[str, tuple[str, str, dict[str, Any], str]]:
    """Per domain: (scope, mutation, variables, the showcase's count of what it writes, as a query)."""
    consignee = next(e for e in graph.province.enterprises if e.uscc != SHOWCASE_USCC)
    count = '{{ enterprise(uscc: "{uscc}") {{ {field} {{ totalCount }} }} }}'
    return {
        "approvals": (
            "approvals:write",
            """mutation($input: SubmitApplicationInput!) {
                 submitApplication(input: $input, idempotencyKey: "scopes-1") { id } }""",
            {
                "input": {
                    "applicant": SHOWCASE_USCC,
                    "itemCode": "000119017000",
                    "contactName": "李娜",
                    "contactPhone": "13800000000",
                }
            },
            count.format(uscc=SHOWCASE_USCC, field="approvalCases"),
        ),
        "talent": (
            "talent:write",
            """mutation($input: PostJobDemandInput!) {
                 postJobDemand(input: $input, idempotencyKey: "scopes-1") { id } }""",
            {
                "input": {
                    "employer": SHOWCASE_USCC,
                    "title": "焊工",
                    "headcount": 3,
                    "occupationCode": "6-18-02-04",
                    "contactName": "赵主管",
                    "contactPhone": "0551-65550000",
                }
            },
            count.format(uscc=SHOWCASE_USCC, field="jobDemands"),
        ),
        "logistics": (
            "logistics:write",
            """mutation($input: BookShipmentInput!) {
                 bookShipment(input: $input, idempotencyKey: "scopes-1") { shipment { waybillNo } } }""",
            {
                "input": {
                    "consignor": SHOWCASE_USCC,
                    "consignee": consignee.uscc,
                    "consigneeName": consignee.name,
                    "destinationCityCode": consignee.city_code,
                    "cargo": "电子元器件",
                    "weightKg": "120.5",
                    "pieces": 4,
                }
            },
            count.format(uscc=SHOWCASE_USCC, field="shipments"),
        ),
    }


def test_every_mutation_of_the_supergraph_requires_a_write_scope() -> None:
    from parkgraph import sdl as stored

    supergraph = load_supergraph(stored.SUPERGRAPH.read_text(encoding="utf-8"))
    mutation = supergraph.api_schema.mutation_type
    assert mutation is not None and mutation.fields
    for name in mutation.fields:
        requirement = supergraph.auth.get(f"Mutation.{name}")
        assert requirement is not None and requirement.scopes, f"Mutation.{name} has no @requiresScopes"
        (scopes,) = requirement.scopes  # one conjunction: the domain's write scope
        assert len(scopes) == 1 and scopes[0].endswith(":write"), (name, scopes)


@pytest.mark.parametrize("domain_name", ["approvals", "talent", "logistics"])
async def test_a_mutation_without_its_scope_is_forbidden_and_never_reaches_the_legacy_system(
    graph: DomainGraph, domain_name: str
) -> None:
    scope, mutation, variables, count = _mutations(graph)[domain_name]
    field = mutation.split("{", 1)[1].split("(", 1)[0].strip()
    reader = TOKENS.bearer(f"park:{SHOWCASE_PARK}", "graph:read")
    written_before = (await graph.execute(count, None, reader))["data"]["enterprise"]
    # Everything but the scope: the right tenant, the general graph:write, every other domain's write scope.
    others = " ".join(s for s, *_ in _mutations(graph).values() if s != scope)
    graph.reset_calls()
    body = await graph.execute(mutation, variables, TOKENS.bearer(f"park:{SHOWCASE_PARK}", f"graph:write {others}"))
    assert body["data"] is None, body  # the non-null mutation field's null reaches the root
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN" and error["path"] == [field], error
    assert scope in error["message"]
    assert sum(graph.legacy_calls().values()) == 0, graph.legacy_calls_by_endpoint()  # no legacy system was asked
    assert (await graph.execute(count, None, reader))["data"]["enterprise"] == written_before

    # The same write with the scope goes through, once.
    body = await graph.execute(mutation, variables, TOKENS.bearer(f"park:{SHOWCASE_PARK}", f"graph:read {scope}"))
    assert "errors" not in body, body
    assert body["data"][field]
    assert graph.legacy_calls()[domain_name] > 0
    after = (await graph.execute(count, None, reader))["data"]["enterprise"]
    (counted,) = after.values()
    (counted_before,) = written_before.values()
    assert counted["totalCount"] == counted_before["totalCount"] + 1


async def test_an_anonymous_mutation_is_unauthenticated(graph: DomainGraph) -> None:
    _, mutation, variables, _ = _mutations(graph)["approvals"]
    graph.reset_calls()
    body = await graph.execute(mutation, variables)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"], body
    assert sum(graph.legacy_calls().values()) == 0
