"""Every operation limit refuses with its own code, per client class; requests within the limits run."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.state import MemoryStore
from tests.gateway.plugins.helpers import as_client, body, traffic_gateway
from tests.support.federation import FederationHarness

SETTINGS: dict[str, Any] = {
    "classes": {
        "anonymous": {
            "limits": {
                "max_aliases": 1,
                "max_root_fields": 2,
                "max_tokens": 60,
                "max_request_bytes": 400,
                "max_batch": 2,
                "max_cost": 59,
            }
        },
        "front_end": {"limits": {"max_depth": 10, "max_cost": 10_000}},
    },
    "clients": {"city-dashboard": {"class": "front_end"}},
}


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        # 5 enterprises x (1 + 10 approvals x 1) = 55 through fragments: within 59
        ("{ enterprises { ...E } } fragment E on Enterprise { approvals { ... on Approval { id } } name }", None, None),
        ("{ enterprises { a: name b: name } }", None, "MAX_ALIASES_LIMIT"),
        ('{ parks { code } enterprises { uscc } search(text: "t") { uscc } }', None, "MAX_ROOT_FIELDS_LIMIT"),
        ("{ enterprises { uscc " + "name " * 60 + "} }", None, "MAX_TOKENS_LIMIT"),
        # 5 enterprises x (1 + 10 approvals x 1 + riskScore 20) = 155
        ("{ enterprises { approvals { id } riskScore } }", None, "QUERY_TOO_COMPLEX"),
        # the slicing argument from a variable: 2 x (1 + 2 x 1) = 6
        ("query($n: Int) { enterprises(first: $n) { approvals(first: 2) { id } } }", {"n": 2}, None),
        # the same operation with a larger variable: 30 x 3 = 90
        ("query($n: Int) { enterprises(first: $n) { approvals(first: 2) { id } } }", {"n": 30}, "QUERY_TOO_COMPLEX"),
        # an argument with @cost(weight: 50), plus 10 (default list size) enterprises = 60
        ('{ search(text: "tea") { uscc } }', None, "QUERY_TOO_COMPLEX"),
    ],
)
async def test_anonymous_limits(
    federation: FederationHarness, query: str, variables: dict[str, Any] | None, code: str | None
) -> None:
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), SETTINGS)
    result = await gateway.execute(query, variables)
    if code is None:
        assert "errors" not in result, result
        assert result["data"]
    else:
        assert result.get("data") is None
        assert [e["extensions"]["code"] for e in result["errors"]] == [code], result


async def test_depth_limit_counts_through_fragments(federation: FederationHarness) -> None:
    settings = {"classes": {"anonymous": {"limits": {"max_depth": 2}}}}
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), settings)
    assert "errors" not in await gateway.execute("{ enterprises { name } }")
    deeper = "query { enterprises { ...E } } fragment E on Enterprise { ... on Enterprise { approvals { id } } }"
    refused = await gateway.execute(deeper)
    assert refused["errors"][0]["extensions"] == {"code": "MAX_DEPTH_LIMIT", "limit": 2, "measured": 3}
    # a fragment cycle is invalid GraphQL: the limit walk terminates and validation answers
    cycle = "{ enterprises { ...A } } fragment A on Enterprise { ...B } fragment B on Enterprise { ...A }"
    assert (await gateway.execute(cycle))["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_request_size_and_batch_limits(federation: FederationHarness) -> None:
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), SETTINGS)
    padded = "{ parks { code } }" + " " * 500
    response = await gateway.post(padded)
    assert response.status_code == 413
    assert body(response)["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    two = [{"query": "{ parks { code } }"}, {"query": '{ enterprise(uscc: "91340100MA2N0001X1") { name } }'}]
    answered = await gateway.client.post("/graphql", json=two)
    assert answered.status_code == 200
    assert [item["data"] is not None for item in body(answered)] == [True, True]
    refused = await gateway.client.post("/graphql", json=[*two, two[0]])
    assert refused.status_code == 400
    assert body(refused)["errors"][0]["extensions"] == {"code": "BATCH_TOO_LARGE", "limit": 2, "measured": 3}


async def test_limits_follow_the_client_class(federation: FederationHarness) -> None:
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), SETTINGS)
    query = "{ enterprises { approvals { id } riskScore } }"
    assert (await gateway.execute(query))["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    allowed = await gateway.execute(query, headers=as_client("city-dashboard"))
    assert "errors" not in allowed
    assert len(allowed["data"]["enterprises"]) == 2
    refusal = (await gateway.execute(query))["errors"][0]
    assert refusal["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": 59, "estimatedCost": 155.0}
