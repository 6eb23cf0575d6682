"""Plans for the bench graph (shared/bench): the shapes Apollo's planner produces for the same queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse

from gateway.planner import QueryPlanner, print_plan
from gateway.planner.plan import Fetch, Flatten, Parallel, QueryPlan, Sequence
from gateway.supergraph import Supergraph, load_supergraph
from tests.gateway.planner.snapshot import assert_snapshot

BENCH = Path(__file__).parents[2] / "fixtures" / "supergraphs" / "bench"
QUERIES = Path(__file__).parents[2] / "fixtures" / "bench" / "queries"


@pytest.fixture(scope="module")
def supergraph() -> Supergraph:
    return load_supergraph((BENCH / "supergraph.graphql").read_text())


def plan(supergraph: Supergraph, query: str, operation_name: str | None = None) -> QueryPlan:
    return QueryPlanner(supergraph).plan(parse(query), operation_name)


def fetches(node: object) -> list[Fetch]:
    if isinstance(node, Fetch):
        return [node]
    if isinstance(node, Flatten):
        return [node.node]
    return [f for child in getattr(node, "nodes", ()) for f in fetches(child)]


@pytest.mark.parametrize("name", ["small", "requires", "fanout"])
def test_bench_query_plans_match_their_snapshots(supergraph: Supergraph, name: str) -> None:
    query = (QUERIES / f"{name}.graphql").read_text()
    assert_snapshot(f"bench_{name}", print_plan(plan(supergraph, query)))


def test_a_named_query_served_by_one_subgraph_is_one_named_fetch(supergraph: Supergraph) -> None:
    result = plan(supergraph, "query Op { topProducts { name } }")
    assert isinstance(result.node, Fetch)
    assert result.node.service_name == "products"
    assert result.node.operation_name == "Op__products__0"
    assert result.node.operation == "query Op__products__0{topProducts{name}}"


def test_an_anonymous_query_gives_an_unnamed_fetch(supergraph: Supergraph) -> None:
    result = plan(supergraph, "{ topProducts { name } }")
    assert isinstance(result.node, Fetch)
    assert result.node.operation_name is None
    assert result.node.operation == "{topProducts{name}}"


def test_root_fields_of_two_subgraphs_are_fetched_in_parallel(supergraph: Supergraph) -> None:
    result = plan(supergraph, "{ me { name } topProducts { name } }")
    assert isinstance(result.node, Parallel)
    assert [f.service_name for f in fetches(result.node)] == ["accounts", "products"]


def test_an_entity_field_of_another_subgraph_is_a_flattened_fetch_after_its_parent(supergraph: Supergraph) -> None:
    result = plan(supergraph, "{ topProducts { name reviews { body } } }")
    assert isinstance(result.node, Sequence)
    first, second = result.node.nodes
    assert isinstance(first, Fetch) and first.service_name == "products"
    assert first.operation == "{topProducts{name __typename upc}}"
    assert isinstance(second, Flatten) and second.path == ("topProducts", "@")
    assert second.node.service_name == "reviews"
    assert second.node.operation.endswith("_entities(representations:$representations){...on Product{reviews{body}}}}")


def test_requires_fields_go_into_the_representation_after_the_fetch_that_supplies_them(
    supergraph: Supergraph,
) -> None:
    result = plan(supergraph, "{ topProducts { shippingEstimate } }")
    assert isinstance(result.node, Sequence)
    products, inventory = result.node.nodes
    assert isinstance(products, Fetch) and "price" in products.operation and "weight" in products.operation
    assert isinstance(inventory, Flatten)
    printed = print_plan(QueryPlan(inventory))
    assert "upc\n" in printed and "price\n" in printed and "weight\n" in printed


def test_provided_fields_need_no_extra_fetch(supergraph: Supergraph) -> None:
    # reviews provides User.username under Review.author, so only accounts' `name` needs a jump.
    with_provides = plan(supergraph, "{ topProducts { reviews { author { username } } } }")
    without = plan(supergraph, "{ topProducts { reviews { author { name } } } }")
    assert [f.service_name for f in fetches(with_provides.node)] == ["products", "reviews"]
    assert [f.service_name for f in fetches(without.node)] == ["products", "reviews", "accounts"]


def test_variables_are_declared_and_sent_only_to_the_fetch_that_uses_them(supergraph: Supergraph) -> None:
    result = plan(
        supergraph, "query Q($n: Int = 3, $id: ID!) { topProducts(first: $n) { name } user(id: $id) { name } }", "Q"
    )
    by_service = {f.service_name: f for f in fetches(result.node)}
    assert by_service["products"].variable_usages == ("n",)
    assert "($n:Int=3)" in by_service["products"].operation
    assert by_service["accounts"].variable_usages == ("id",)


def test_include_on_another_subgraphs_field_becomes_a_condition_node(supergraph: Supergraph) -> None:
    result = plan(
        supergraph, "query Q($v: Boolean = true) { topProducts { name reviews @include(if: $v) { body } } }", "Q"
    )
    printed = print_plan(result)
    assert "Include(if: $v)" in printed
    assert 'Flatten(path: "topProducts.@")' in printed.split("Include(if: $v)")[1]


def test_same_document_different_variables_reuse_the_cached_plan(supergraph: Supergraph) -> None:
    planner = QueryPlanner(supergraph)
    document = parse("query A { topProducts { name } } query B { me { name } }")
    first = planner.plan(document, "A")
    assert planner.plan(document, "A") is first
    assert planner.plan(document, "B") is not first
    assert (planner.hits, planner.misses, len(planner)) == (1, 2, 2)


def test_the_plan_cache_is_bounded(supergraph: Supergraph) -> None:
    planner = QueryPlanner(supergraph, cache_size=2)
    for n in range(5):
        planner.plan(parse(f"{{ topProducts(first: {n}) {{ name }} }}"), None)
    assert len(planner) == 2


def test_aliases_are_kept_in_subgraph_operations(supergraph: Supergraph) -> None:
    result = plan(supergraph, '{ a: product(upc: "1") { n: name } b: product(upc: "2") { n: name price } }')
    assert isinstance(result.node, Fetch)
    assert result.node.operation == '{a:product(upc:"1"){n:name}b:product(upc:"2"){n:name price}}'
