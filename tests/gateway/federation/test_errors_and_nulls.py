"""§6 group G (errors and nulls), group A case 3, and the failing-subgraph modes of issue 8."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.federation.helpers import service_error
from tests.support.federation import FederationHarness
from tests.support.subgraph_kit import Fault

TOP = "{ topProducts { name stock } }"
STOCK = "{ products { id stock } }"


async def test_entity_resolver_error_is_repathed_to_the_client_path(federation: FederationHarness) -> None:
    # §6 case 3: ["_entities", 1] → ["topProducts", 1]; the other entity is intact.
    gateway = await federation.gateway("errors")
    assert await gateway.execute(TOP) == {
        "data": {"topProducts": [{"name": "Drill", "stock": 10}, {"name": "Saw", "stock": None}]},
        "errors": [service_error("details for product 2 are locked", ["topProducts", 1], "details")],
    }


async def test_null_entity_for_a_non_null_field_bubbles_to_the_nullable_item(federation: FederationHarness) -> None:
    # §6 cases 32 and 22: products is [P1, null, P3]; details knows no P3 and label is String!.
    gateway = await federation.gateway("errors")
    body = await gateway.execute("{ products { id label } }")
    assert body["data"] == {"products": [{"id": "1", "label": "D-1"}, None, None]}
    assert [(e["message"], e["path"]) for e in body["errors"]] == [
        ("Cannot return null for non-nullable field Product.label.", ["products", 2, "label"])
    ]
    assert gateway.subgraphs["details"].requests[0].representations == [
        {"__typename": "Product", "id": "1"},
        {"__typename": "Product", "id": "3"},
    ]


async def test_failing_non_null_root_field_nulls_data(federation: FederationHarness) -> None:
    # §6 case 34.
    gateway = await federation.gateway("errors")
    assert await gateway.execute("{ mustWork maybe }") == {
        "data": None,
        "errors": [service_error("mustWork is broken", ["mustWork"], "products")],
    }


FAULTS = [
    # (fault, error code): every one costs only the details fields.
    (Fault("http_500"), "SUBGRAPH_UNAVAILABLE"),
    (Fault("down"), "SUBGRAPH_UNAVAILABLE"),
    (Fault("reset"), "SUBGRAPH_UNAVAILABLE"),
    (Fault("html"), "SUBGRAPH_INVALID_RESPONSE"),  # HTTP 200 with an HTML body: not a GraphQL response
    (Fault("invalid_json"), "SUBGRAPH_INVALID_RESPONSE"),
    (Fault("wrong_entities_length", entities_delta=-1), "SUBGRAPH_INVALID_RESPONSE"),
    (Fault("wrong_entities_length", entities_delta=1), "SUBGRAPH_INVALID_RESPONSE"),
]


@pytest.mark.parametrize(("fault", "code"), FAULTS, ids=[f"{f.kind}{f.entities_delta}" for f, _ in FAULTS])
async def test_failing_subgraph_inside_a_flatten_costs_only_its_fields(
    federation: FederationHarness, fault: Fault, code: str
) -> None:
    # §6 case 33: one error at the Flatten path cut before "@", the other data kept; the gateway keeps serving.
    # products is [P1, null, P3]; details has nothing for P3 (null entity, nullable stock: no error).
    gateway = await federation.gateway("errors")
    healthy = {"data": {"products": [{"id": "1", "stock": 10}, None, {"id": "3", "stock": None}]}}
    await gateway.subgraphs["details"].set_fault(fault)
    response = await gateway.post(STOCK)
    assert response.status_code == 200
    body: Any = response.json()
    assert body["data"] == {"products": [{"id": "1", "stock": None}, None, {"id": "3", "stock": None}]}
    [error] = body["errors"]
    assert error["path"] == ["products"]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["serviceName"] == "details"
    await gateway.subgraphs["details"].set_fault(None)
    assert await gateway.execute(STOCK) == healthy


async def test_failing_root_subgraph_gives_null_data_with_one_error(federation: FederationHarness) -> None:
    gateway = await federation.gateway("errors")
    await gateway.subgraphs["products"].set_fault(Fault("http_500"))
    response = await gateway.post("{ maybe }")
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"maybe": None}
    # No Flatten path here: whether the error carries ["maybe"] or no path is left to the gateway.
    [error] = body["errors"]
    assert error.get("path", ["maybe"]) == ["maybe"]
    assert (error["extensions"]["code"], error["extensions"]["serviceName"]) == ("SUBGRAPH_UNAVAILABLE", "products")
    gateway.subgraphs.reset_counters()
    await gateway.subgraphs["products"].set_fault(None)
    assert await gateway.execute("{ maybe }") == {"data": {"maybe": "fine"}}
