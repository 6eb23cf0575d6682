"""Bench queries through the gateway equal the bench's reference answers; §6 group D (plans and merging)."""

from __future__ import annotations

import time

import pytest

from tests.gateway.federation.helpers import operation_of
from tests.support.bench_subgraphs import REVIEWS_BY_PRODUCT
from tests.support.federation import FederationHarness, bench_answer, bench_query
from tests.support.subgraph_kit import Fault

# query → subgraph requests one execution needs (Apollo Gateway 2.14.4 makes the same); None: not asserted,
# because batching decides it (Apollo needs accounts 3, products 3, inventory 4, reviews 2 for fanout).
BENCH_FETCHES: dict[str, dict[str, int] | None] = {
    "small": {"accounts": 0, "products": 1, "inventory": 0, "reviews": 0},
    "requires": {"accounts": 0, "products": 1, "inventory": 1, "reviews": 0},
    "fanout": None,
    "aliases": {"accounts": 0, "products": 1, "inventory": 1, "reviews": 0},
    "dedup": {"accounts": 2, "products": 0, "inventory": 0, "reviews": 1},
    "nulls": {"accounts": 1, "products": 2, "inventory": 0, "reviews": 1},
    "include_default": {"accounts": 0, "products": 1, "inventory": 0, "reviews": 1},
    "skip_true": {"accounts": 0, "products": 1, "inventory": 0, "reviews": 0},
    "typename": {"accounts": 1, "products": 1, "inventory": 0, "reviews": 1},
}


@pytest.mark.parametrize("query", sorted(BENCH_FETCHES))
async def test_bench_query_gives_the_reference_answer(federation: FederationHarness, query: str) -> None:
    gateway = await federation.gateway("bench")
    assert await gateway.execute(bench_query(query)) == bench_answer(query)
    if BENCH_FETCHES[query] is not None:
        assert gateway.subgraphs.counts() == BENCH_FETCHES[query]


async def test_named_operation_names_its_fetch_and_anonymous_stays_anonymous(federation: FederationHarness) -> None:
    # §6 case 18.
    gateway = await federation.gateway("bench")
    products = gateway.subgraphs["products"]
    assert await gateway.execute("query Op { topProducts(first: 1) { upc } }") == {
        "data": {"topProducts": [{"upc": "1001"}]}
    }
    named = operation_of(products.requests[-1])
    assert named.name is not None and named.name.value == "Op__products__0"
    await gateway.execute("{ topProducts(first: 1) { upc } }")
    assert operation_of(products.requests[-1]).name is None
    assert products.request_count == 2


async def test_root_fields_of_two_subgraphs_are_fetched_in_parallel(federation: FederationHarness) -> None:
    # §6 case 19: both subgraphs take 0.4 s; in sequence the request would take 0.8 s.
    gateway = await federation.gateway("bench")
    await gateway.execute("{ __typename }")  # warm up: plans, pools
    for name in ("accounts", "products"):
        await gateway.subgraphs[name].set_fault(Fault("slow", delay=0.4))
    started = time.monotonic()
    body = await gateway.execute("{ me { name } topProducts(first: 1) { name } }")
    elapsed = time.monotonic() - started
    assert body == {"data": {"me": {"name": "Ada Lovelace"}, "topProducts": [{"name": "Classic Table 1"}]}}
    assert gateway.subgraphs.counts() == {"accounts": 1, "products": 1, "inventory": 0, "reviews": 0}
    assert elapsed < 0.75


async def test_entity_fetch_follows_the_root_fetch_in_order(federation: FederationHarness) -> None:
    # §6 case 20: Sequence[Fetch(products), Flatten(topProducts.@, Fetch(reviews))], order kept.
    gateway = await federation.gateway("bench")
    body = await gateway.execute("{ topProducts(first: 3) { name reviews { body } } }")
    assert body == {
        "data": {
            "topProducts": [
                {"name": name, "reviews": [{"body": r["body"]} for r in REVIEWS_BY_PRODUCT[upc]]}
                for upc, name in [("1001", "Classic Table 1"), ("1002", "Modern Chair 1"), ("1003", "Classic Lamp 2")]
            ]
        }
    }
    assert gateway.subgraphs["reviews"].requests[0].representations == [
        {"__typename": "Product", "upc": "1001"},
        {"__typename": "Product", "upc": "1002"},
        {"__typename": "Product", "upc": "1003"},
    ]


async def test_same_author_is_fetched_once_and_merged_everywhere(federation: FederationHarness) -> None:
    # §6 case 21: user 1 wrote all four of their reviews: one representation, four merges.
    # (Apollo Gateway sends the four duplicates; the router and we deduplicate.)
    gateway = await federation.gateway("bench")
    assert await gateway.execute(bench_query("dedup")) == bench_answer("dedup")
    accounts = gateway.subgraphs["accounts"]
    assert [r.representations for r in accounts.requests] == [[], [{"__typename": "User", "id": "1"}]]


async def test_null_parents_get_no_representation(federation: FederationHarness) -> None:
    # §6 case 22: product "nope" and user "99" are null: nothing is fetched below them.
    # me's four reviews are of products 1001, 1011, 1001, 1011: deduplicated to two.
    gateway = await federation.gateway("bench")
    assert await gateway.execute(bench_query("nulls")) == bench_answer("nulls")
    assert gateway.subgraphs["reviews"].requests[0].representations == [{"__typename": "User", "id": "1"}]
    assert gateway.subgraphs["products"].requests[1].representations == [
        {"__typename": "Product", "upc": "1001"},
        {"__typename": "Product", "upc": "1011"},
    ]
