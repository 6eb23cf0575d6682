"""§6 group H: variables, @skip/@include, aliases, mutations, plan cache."""

from __future__ import annotations

from graphql import parse

from tests.gateway.federation.helpers import declared_variables
from tests.support.federation import FederationHarness, bench_query, supergraph_sdl

REVIEWS_N = "query Reviews($n: Int = 1) { products { name reviews(first: $n) { body } } }"


async def test_variable_of_an_entity_fetch_is_declared_there_with_its_default(federation: FederationHarness) -> None:
    # §6 case 35: $n goes to the reviews fetch only, its default kept.
    gateway = await federation.gateway("variables")
    assert await gateway.execute(REVIEWS_N) == {
        "data": {
            "products": [
                {"name": "Teapot", "reviews": [{"body": "Great"}]},
                {"name": "Cup", "reviews": [{"body": "Small"}]},
            ]
        }
    }
    products, reviews = gateway.subgraphs["products"].requests[0], gateway.subgraphs["reviews"].requests[0]
    assert declared_variables(products) == {}
    assert declared_variables(reviews) == {"representations": None, "n": "1"}
    assert "n" not in products.variables


async def test_supplied_variable_is_sent_to_the_entity_fetch(federation: FederationHarness) -> None:
    gateway = await federation.gateway("variables")
    body = await gateway.execute(REVIEWS_N, {"n": 3})
    assert body["data"]["products"][0]["reviews"] == [{"body": "Great"}, {"body": "Leaks"}, {"body": "Fine"}]
    assert gateway.subgraphs["reviews"].requests[0].variables["n"] == 3


async def test_variable_nested_in_an_input_object_is_collected(federation: FederationHarness) -> None:
    gateway = await federation.gateway("variables")
    query = "query($min: Int) { products { reviews(filter: {minRating: $min}) { rating } } }"
    assert await gateway.execute(query, {"min": 3}) == {
        "data": {"products": [{"reviews": [{"rating": 5}, {"rating": 3}]}, {"reviews": []}]}
    }
    request = gateway.subgraphs["reviews"].requests[0]
    assert declared_variables(request) == {"representations": None, "min": None}
    assert request.variables["min"] == 3


async def test_include_false_skips_the_whole_fetch(federation: FederationHarness) -> None:
    # §6 case 36: v = false → no reviews fetch; omitted v defaults to true (bench fixture include_default).
    gateway = await federation.gateway("bench")
    body = await gateway.execute(bench_query("include_default"), {"withReviews": False})
    assert body == {"data": {"topProducts": [{"name": "Classic Table 1"}, {"name": "Modern Chair 1"}]}}
    assert gateway.subgraphs.counts() == {"accounts": 0, "products": 1, "inventory": 0, "reviews": 0}
    body = await gateway.execute(bench_query("skip_true"), {"noReviews": False})
    assert [len(p["reviews"]) for p in body["data"]["topProducts"]] == [2, 2]
    assert gateway.subgraphs["reviews"].request_count == 1


async def test_mutations_run_in_order_and_consecutive_ones_share_a_fetch(federation: FederationHarness) -> None:
    # §6 case 39: m1(A) m2(B) m3(A) → three fetches in sequence; m1 m2 both in A → one fetch.
    gateway = await federation.gateway("mutations")
    body = await gateway.execute(
        'mutation { m1: addA(text: "one") { seq service } m2: addB(text: "two") { seq service } '
        'm3: addA(text: "three") { seq service } }'
    )
    assert body == {
        "data": {
            "m1": {"seq": 1, "service": "a"},
            "m2": {"seq": 2, "service": "b"},
            "m3": {"seq": 3, "service": "a"},
        }
    }
    assert gateway.subgraphs.counts() == {"a": 2, "b": 1}
    gateway.subgraphs.reset_counters()
    body = await gateway.execute('mutation { x: addA(text: "four") { seq } y: bumpA }')
    assert body == {"data": {"x": {"seq": 4}, "y": 5}}
    assert gateway.subgraphs.counts() == {"a": 1, "b": 0}


def test_plan_cache_is_keyed_by_document_and_operation_name() -> None:
    # §6 case 40: variables never enter the key; a new operationName is a new entry.
    from gateway.planner.cache import QueryPlanner
    from gateway.supergraph.load import load_supergraph

    planner = QueryPlanner(load_supergraph(supergraph_sdl("bench")))
    document = parse("query A($n: Int) { topProducts(first: $n) { upc } } query B { me { name } }")
    first = planner.plan(document, "A")
    assert planner.plan(document, "A") is first
    assert (planner.hits, planner.misses) == (1, 1)
    planner.plan(document, "B")
    assert (planner.hits, planner.misses, len(planner)) == (1, 2, 2)
