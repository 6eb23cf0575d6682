"""The executor on hand-built plans against real (in-process) bench subgraphs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway.context import RequestContext
from gateway.executor import Executed, execute_plan
from gateway.planner.plan import (
    Condition,
    Fetch,
    FieldSel,
    Flatten,
    FragmentSel,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from gateway.subgraph import SubgraphClient
from tests.support.bench_subgraphs import bench_subgraphs
from tests.support.subgraph_kit import Fault, SubgraphGroup, serve_subgraphs

ENTITIES = "query($representations:[_Any!]!){_entities(representations:$representations){%s}}"
PRODUCT_KEY = (FragmentSel("Product", (FieldSel("__typename"), FieldSel("upc"))),)
USER_KEY = (FragmentSel("User", (FieldSel("__typename"), FieldSel("id"))),)

TOP_PRODUCTS = Fetch("products", "{topProducts(first:3){__typename upc name}}")
REVIEWS = Flatten(
    ("topProducts", "@"),
    Fetch("reviews", ENTITIES % "...on Product{reviews{body author{__typename id}}}", requires=PRODUCT_KEY),
)
AUTHORS = Flatten(
    ("topProducts", "@", "reviews", "@", "author"),
    Fetch("accounts", ENTITIES % "...on User{name}", requires=USER_KEY),
)


class Types:
    """A TypeOracle with no abstract types except those given."""

    def __init__(self, abstract: dict[str, frozenset[str]] | None = None) -> None:
        self.abstract = abstract or {}

    def possible_runtime_types(self, type_name: str) -> frozenset[str]:
        return self.abstract.get(type_name, frozenset({type_name}))


@pytest.fixture
async def subgraphs() -> AsyncIterator[SubgraphGroup]:
    async with serve_subgraphs(bench_subgraphs()) as group:
        yield group


async def run(
    group: SubgraphGroup,
    node: PlanNode,
    variables: dict[str, Any] | None = None,
    *,
    deadline_in: float = 10.0,
    types: Types | None = None,
) -> Executed:
    client = SubgraphClient(group.urls)
    try:
        return await execute_plan(
            QueryPlan(node),
            variables=variables or {},
            context=RequestContext.create({}, timeout=deadline_in),
            subgraphs=client,
            types=types or Types(),
        )
    finally:
        await client.close()


async def test_sequence_merges_entities_and_dedups_representations(subgraphs: SubgraphGroup) -> None:
    result = await run(subgraphs, Sequence((TOP_PRODUCTS, REVIEWS, AUTHORS)))
    assert result.errors == []
    products = result.data["topProducts"]
    assert [p["upc"] for p in products] == ["1001", "1002", "1003"]
    # Product i has reviews i+1 and i+21, both by user i+1: six reviews, three authors.
    assert [r["body"][:9] for r in products[0]["reviews"]] == ["Review 1:", "Review 21"]
    assert [r["author"]["name"] for p in products for r in p["reviews"]] == [
        "Ada Lovelace",
        "Ada Lovelace",
        "Alan Turing",
        "Alan Turing",
        "Grace Hopper",
        "Grace Hopper",
    ]
    (request,) = subgraphs["accounts"].requests
    assert request.representations == [
        {"__typename": "User", "id": "1"},
        {"__typename": "User", "id": "2"},
        {"__typename": "User", "id": "3"},
    ]
    assert "operationName" not in request.body


async def test_parallel_root_fetches_both_land(subgraphs: SubgraphGroup) -> None:
    node = Parallel((Fetch("accounts", "{me{id name}}"), Fetch("products", '{p:product(upc:"1002"){name}}')))
    result = await run(subgraphs, node)
    assert result.data == {"me": {"id": "1", "name": "Ada Lovelace"}, "p": {"name": "Modern Chair 1"}}
    assert result.errors == []


async def test_only_used_variables_are_sent_with_the_operation_name(subgraphs: SubgraphGroup) -> None:
    fetch = Fetch(
        "products",
        "query Top__products__0($n:Int){topProducts(first:$n){upc}}",
        operation_name="Top__products__0",
        variable_usages=("n",),
    )
    result = await run(subgraphs, fetch, {"n": 2, "other": "x"})
    assert [p["upc"] for p in result.data["topProducts"]] == ["1001", "1002"]
    (request,) = subgraphs["products"].requests
    assert request.body["variables"] == {"n": 2}
    assert request.body["operationName"] == "Top__products__0"


@pytest.mark.parametrize(
    ("variables", "expected_fetches"),
    [
        ({"withName": True}, 1),  # the variable is true: the Include branch runs
        ({"withName": False}, 0),  # false: the fetch is skipped entirely
        ({}, 0),  # absent (no default was coerced in): treated as false
    ],
)
async def test_condition_reads_the_coerced_variable(
    subgraphs: SubgraphGroup, variables: dict[str, Any], expected_fetches: int
) -> None:
    node = Condition("withName", if_clause=Fetch("accounts", "{me{name}}"))
    await run(subgraphs, node, variables)
    assert subgraphs.counts()["accounts"] == expected_fetches


async def test_else_clause_runs_when_false(subgraphs: SubgraphGroup) -> None:
    node = Condition("skipIt", else_clause=Fetch("accounts", "{me{name}}"))
    result = await run(subgraphs, node, {"skipIt": False})
    assert result.data == {"me": {"name": "Ada Lovelace"}}


async def test_nulls_in_lists_and_null_parents_give_no_representation(subgraphs: SubgraphGroup) -> None:
    # Pre-seed data through a root fetch whose aliases give a null parent and a missing product.
    node = Sequence(
        (
            Fetch("products", '{a:product(upc:"1001"){__typename upc} b:product(upc:"nope"){__typename upc}}'),
            Parallel(
                (
                    Flatten(("a",), Fetch("inventory", ENTITIES % "...on Product{inStock}", requires=PRODUCT_KEY)),
                    Flatten(("b",), Fetch("inventory", ENTITIES % "...on Product{inStock}", requires=PRODUCT_KEY)),
                )
            ),
        )
    )
    result = await run(subgraphs, node)
    assert result.errors == []
    assert result.data == {"a": {"__typename": "Product", "upc": "1001", "inStock": True}, "b": None}
    assert subgraphs.counts()["inventory"] == 1  # the empty batch for "b" was never sent


async def test_requires_inputs_go_into_the_representation_and_null_is_kept(subgraphs: SubgraphGroup) -> None:
    requires = (FragmentSel("Product", tuple(FieldSel(n) for n in ("__typename", "upc", "price", "weight"))),)
    node = Sequence(
        (
            Fetch("products", "{topProducts(first:2){__typename upc price weight}}"),
            Flatten(("topProducts", "@"), Fetch("inventory", ENTITIES % "...on Product{inStock}", requires=requires)),
        )
    )
    result = await run(subgraphs, node)
    assert [p["inStock"] for p in result.data["topProducts"]] == [True, True]
    assert subgraphs["inventory"].requests[0].representations[0] == {
        "__typename": "Product",
        "upc": "1001",
        "price": 250,
        "weight": 5,
    }


async def test_missing_key_field_skips_the_object_with_an_error(subgraphs: SubgraphGroup) -> None:
    node = Sequence(
        (
            Fetch("products", "{topProducts(first:2){__typename name}}"),  # no upc: the key is missing
            REVIEWS,
        )
    )
    result = await run(subgraphs, node)
    assert subgraphs.counts()["reviews"] == 0
    assert [(e["path"], e["extensions"]["code"]) for e in result.errors] == [
        (["topProducts", 0], "INVALID_ENTITY_REPRESENTATION"),
        (["topProducts", 1], "INVALID_ENTITY_REPRESENTATION"),
    ]
    assert '"upc"' in result.errors[0]["message"]


async def test_entity_errors_are_repathed_to_every_original_path(subgraphs: SubgraphGroup) -> None:
    # shippingEstimate raises without price/weight: each item errors at ["_entities", i, "shippingEstimate"].
    node = Sequence(
        (
            Fetch("products", '{a:product(upc:"1001"){__typename upc} b:product(upc:"1001"){__typename upc}}'),
            Flatten(
                ("a",),
                Fetch("inventory", ENTITIES % "...on Product{shippingEstimate}", requires=PRODUCT_KEY),
            ),
        )
    )
    result = await run(subgraphs, node)
    (error,) = result.errors
    assert error["path"] == ["a", "shippingEstimate"]
    assert "locations" not in error
    assert error["extensions"] == {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "inventory"}
    assert result.data["a"]["shippingEstimate"] is None


async def test_duplicate_objects_share_one_representation_and_every_path_gets_the_error(
    subgraphs: SubgraphGroup,
) -> None:
    # Both reviews of a product point back to it: one representation, the error fans out to both paths.
    node = Sequence(
        (
            TOP_PRODUCTS,
            Flatten(
                ("topProducts", "@"),
                Fetch("reviews", ENTITIES % "...on Product{reviews{product{__typename upc}}}", requires=PRODUCT_KEY),
            ),
            Flatten(
                ("topProducts", "@", "reviews", "@", "product"),
                Fetch("inventory", ENTITIES % "...on Product{shippingEstimate}", requires=PRODUCT_KEY),
            ),
        )
    )
    result = await run(subgraphs, node)
    assert len(subgraphs["inventory"].requests[0].representations) == 3
    assert [e["path"] for e in result.errors] == [
        ["topProducts", p, "reviews", r, "product", "shippingEstimate"] for p in range(3) for r in range(2)
    ]


async def test_root_fetch_errors_keep_their_paths(subgraphs: SubgraphGroup) -> None:
    node = Fetch("products", "{topProducts(first:1){upc} product(upc:1){upc}}")  # an Int for a String!
    result = await run(subgraphs, node)
    assert result.errors and all(e["extensions"]["serviceName"] == "products" for e in result.errors)
    assert all("locations" not in e for e in result.errors)


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (Fault("down"), "SUBGRAPH_UNAVAILABLE"),  # connection refused
        (Fault("http_500"), "SUBGRAPH_UNAVAILABLE"),  # HTTP error status
        (Fault("html"), "SUBGRAPH_INVALID_RESPONSE"),  # an HTML page with a 200
        (Fault("invalid_json"), "SUBGRAPH_INVALID_RESPONSE"),  # truncated JSON
        (Fault("wrong_entities_length", entities_delta=-1), "SUBGRAPH_INVALID_RESPONSE"),  # one result short
        (Fault("wrong_entities_length", entities_delta=2), "SUBGRAPH_INVALID_RESPONSE"),  # two results too many
        (Fault("slow", delay=2.0), "UPSTREAM_TIMEOUT"),  # no answer before the deadline
    ],
)
async def test_a_failing_entity_subgraph_costs_only_its_fields(
    subgraphs: SubgraphGroup, fault: Fault, code: str
) -> None:
    await subgraphs["reviews"].set_fault(fault)
    result = await run(subgraphs, Sequence((TOP_PRODUCTS, REVIEWS, AUTHORS)), deadline_in=0.5)
    (error,) = result.errors  # one error per fetch, and nothing spurious from the authors fetch
    assert error["path"] == ["topProducts"]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["serviceName"] == "reviews"
    assert [p["name"] for p in result.data["topProducts"]] == ["Classic Table 1", "Modern Chair 1", "Classic Lamp 2"]
    assert subgraphs.counts()["accounts"] == 0


async def test_a_failing_root_subgraph_gives_one_error_per_root_field_it_owned(subgraphs: SubgraphGroup) -> None:
    await subgraphs["accounts"].set_fault(Fault("down"))
    node = Parallel((Fetch("accounts", "{me{id} u:user(id:2){id}}"), Fetch("products", '{product(upc:"1001"){name}}')))
    result = await run(subgraphs, node)
    assert [(e["path"], e["extensions"]["code"]) for e in result.errors] == [
        (["me"], "SUBGRAPH_UNAVAILABLE"),
        (["u"], "SUBGRAPH_UNAVAILABLE"),
    ]
    assert result.data == {"product": {"name": "Classic Table 1"}}
    assert result.explained == {("me",), ("u",)}


async def test_a_keyless_fetch_inside_a_flatten_merges_at_the_cursor(subgraphs: SubgraphGroup) -> None:
    plan = Sequence((Fetch("accounts", '{seed:user(id:"2"){id}}'), Flatten(("seed",), Fetch("accounts", "{x:me{id}}"))))
    result = await run(subgraphs, plan)
    assert result.data == {"seed": {"id": "2", "x": {"id": "1"}}}
