"""§6 group E: @requires, @provides and @override through the gateway."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from tests.support.bench_subgraphs import PRODUCTS, shipping_estimate
from tests.support.federation import FederationHarness, supergraph_sdl


async def test_requires_inputs_are_fetched_first_and_sent_in_the_representation(federation: FederationHarness) -> None:
    # §6 case 23 on the bench: shippingEstimate @requires(fields: "price weight").
    gateway = await federation.gateway("bench")
    body = await gateway.execute("{ topProducts(first: 3) { upc shippingEstimate } }")
    assert body == {
        "data": {
            "topProducts": [
                {"upc": p["upc"], "shippingEstimate": shipping_estimate(p["price"], p["weight"])} for p in PRODUCTS[:3]
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"accounts": 0, "products": 1, "inventory": 1, "reviews": 0}
    assert gateway.subgraphs["inventory"].requests[0].representations == [
        {"__typename": "Product", "upc": p["upc"], "price": p["price"], "weight": p["weight"]} for p in PRODUCTS[:3]
    ]


async def test_requires_with_an_argument_sends_the_value_for_that_argument(federation: FederationHarness) -> None:
    # size(unit: "in") weight: 127 cm = 50 in, so the estimate is 50 * 20, not 127 * 20.
    gateway = await federation.gateway("requires")
    body = await gateway.execute("{ products { id shippingEstimate } }")
    assert body == {
        "data": {
            "products": [
                {"id": "p1", "shippingEstimate": 1000},
                {"id": "p2", "shippingEstimate": 200},
                {"id": "p3", "shippingEstimate": 0},
            ]
        }
    }


@pytest.mark.parametrize(
    "query",
    [
        "{ products { id size shippingEstimate } }",  # the client's size is selected first
        "{ products { id shippingEstimate size } }",  # the required size(unit: "in") is planned first
    ],
)
async def test_required_argument_does_not_collapse_with_the_clients_own(
    federation: FederationHarness, query: str
) -> None:
    # The client also asks size in cm (the default): the gateway must alias one of the two. Apollo
    # Gateway 2.14.4 fails this (it sends the cm value: estimates 2540 and 508).
    gateway = await federation.gateway("requires")
    body = await gateway.execute(query)
    assert body == {
        "data": {
            "products": [
                {"id": "p1", "size": 127, "shippingEstimate": 1000},
                {"id": "p2", "size": 254, "shippingEstimate": 200},
                {"id": "p3", "size": 0, "shippingEstimate": 0},
            ]
        }
    }
    reps = gateway.subgraphs["shipping"].requests[0].representations
    assert [(r["id"], r["size"], r["weight"]) for r in reps] == [("p1", 50, 20), ("p2", 100, 2), ("p3", 0, 1)]


async def test_requires_keeps_a_null_inside_a_required_list(federation: FederationHarness) -> None:
    # §6 case 24: reviews [{rating 4}, null, {rating 2}]; a null list stays null too.
    gateway = await federation.gateway("requires")
    body = await gateway.execute("{ products { id averageRating } }")
    assert body == {
        "data": {
            "products": [
                {"id": "p1", "averageRating": 3.0},
                {"id": "p2", "averageRating": None},
                {"id": "p3", "averageRating": None},
            ]
        }
    }
    reps = gateway.subgraphs["shipping"].requests[0].representations
    assert reps == [
        {"__typename": "Product", "id": "p1", "reviews": [{"rating": 4}, None, {"rating": 2}]},
        {"__typename": "Product", "id": "p2", "reviews": []},
        {"__typename": "Product", "id": "p3", "reviews": None},
    ]


async def test_requires_with_inline_fragments_sends_the_concrete_types_fields(federation: FederationHarness) -> None:
    gateway = await federation.gateway("requires")
    body = await gateway.execute("{ products { name mediaSummary } }")
    assert body == {
        "data": {
            "products": [
                {"name": "Desk", "mediaSummary": "book: Desk Manual"},
                {"name": "Lamp", "mediaSummary": "movie by Zhang Yimou"},
                {"name": "Rug", "mediaSummary": None},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"products": 1, "shipping": 1}


async def test_provided_fields_need_no_extra_fetch(federation: FederationHarness) -> None:
    # §6 case 25: outOfStockProducts @provides(fields: "name").
    gateway = await federation.gateway("provides")
    body = await gateway.execute("{ outOfStockProducts { id name inStock } }")
    assert body == {
        "data": {
            "outOfStockProducts": [
                {"id": "p1", "name": "Kettle", "inStock": False},
                {"id": "p3", "name": "Cup", "inStock": False},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"products": 0, "inventory": 1}


async def test_without_provides_the_same_field_needs_an_entity_fetch(federation: FederationHarness) -> None:
    gateway = await federation.gateway("provides")
    body = await gateway.execute("{ discontinuedProducts { id name price } }")
    assert body == {"data": {"discontinuedProducts": [{"id": "p2", "name": "Teapot", "price": 158}]}}
    assert gateway.subgraphs.counts() == {"products": 1, "inventory": 1}
    assert gateway.subgraphs["products"].requests[0].representations == [{"__typename": "Product", "id": "p2"}]


OVERRIDE_QUERY = "{ products { id name plain never always beta } }"


def _override_data(beta: str) -> dict[str, Any]:
    return {
        "data": {
            "products": [
                {
                    "id": i,
                    "name": f"Product {i}",
                    "plain": "plain@new",
                    "never": "never@old",
                    "always": "always@new",
                    "beta": beta,
                }
                for i in ("p1", "p2")
            ]
        }
    }


async def test_override_follows_labels_by_default(federation: FederationHarness) -> None:
    # §6 case 26: no label → new; percent(0) → old; percent(100) → new; custom label inactive → old.
    gateway = await federation.gateway("override")
    assert await gateway.execute(OVERRIDE_QUERY) == _override_data("beta@old")
    assert gateway.subgraphs.counts() == {"new": 1, "old": 1}


async def test_fields_left_with_the_old_subgraph_need_no_fetch_to_the_new_one(federation: FederationHarness) -> None:
    gateway = await federation.gateway("override")
    body = await gateway.execute("{ products { never beta } }")
    assert body == {"data": {"products": [{"never": "never@old", "beta": "beta@old"}] * 2}}
    assert gateway.subgraphs.counts() == {"new": 0, "old": 1}


def test_custom_label_moves_the_field_and_gets_its_own_cache_entry() -> None:
    # §6 case 26, planner level: the active labels pick the subgraph and enter the plan cache key.
    from gateway.planner.cache import QueryPlanner
    from gateway.planner.printer import print_plan
    from gateway.supergraph.load import load_supergraph

    planner = QueryPlanner(load_supergraph(supergraph_sdl("override")))
    document = parse("{ products { beta } }")
    inactive = print_plan(planner.plan(document, None))
    active = print_plan(planner.plan(document, None, override_labels=frozenset({"beta"})))
    assert 'service: "new"' not in inactive
    assert 'service: "new"' in active
    assert (planner.misses, len(planner)) == (2, 2)
    planner.plan(document, None, override_labels=frozenset({"beta", "unused-label"}))
    assert (planner.hits, len(planner)) == (1, 2)
