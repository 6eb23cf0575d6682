"""Printed plans for the federation-notes §6 situations, one snapshot each (the answers are tested in
tests/gateway/federation; these pin down the shape of the plan that produces them)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import parse

from gateway.planner import QueryPlanner, print_plan
from gateway.supergraph import Supergraph, load_supergraph
from tests.gateway.planner.snapshot import assert_snapshot

SUPERGRAPHS = Path(__file__).parents[2] / "fixtures" / "supergraphs"

CASES = [
    # (snapshot name, fixture case, operation, override labels)
    (
        "interfaces_fields_in_two_subgraphs",
        "interfaces",
        "{ animals { __typename name ... on Dog { barkVolume } ... on Cat { livesLeft } } }",
        (),
    ),
    ("interfaces_one_type_condition", "interfaces", "{ animals { id ... on Cat { livesLeft } } }", ()),
    (
        "interfaces_aliased_typename",
        "interfaces",
        "{ animals { a: __typename ... on Dog { b: __typename } ... on Animal { c: __typename } } }",
        (),
    ),
    (
        "unions_members_differ",
        "unions",
        "{ search { __typename ... on Book { title pages } ... on Movie { title } ... on Song { artist } } }",
        (),
    ),
    (
        "nullability_shared_field_aliased",
        "nullability",
        "{ items { __typename ... on Book { code title } ... on Car { code } } }",
        (),
    ),
    ("interface_object_typename", "interface_object", "{ topMedia { __typename id stars } }", ()),
    (
        "interface_object_type_conditions",
        "interface_object",
        "{ topMedia { stars title ... on Book { author } ... on Movie { director } } }",
        (),
    ),
    ("interface_object_from_implementation", "interface_object", "{ books { title stars } }", ()),
    ("keys_compound_and_second", "keys", "{ products { name price quantity } }", ()),
    ("keys_nested", "keys", "{ accounts { handle bio org { id name } } }", ()),
    ("requires_with_argument_beside_the_clients", "requires", "{ products { id size shippingEstimate } }", ()),
    ("requires_list_with_nulls", "requires", "{ products { id averageRating } }", ()),
    ("requires_fragment", "requires", "{ products { name mediaSummary } }", ()),
    ("provides_used", "provides", "{ outOfStockProducts { id name inStock } }", ()),
    ("provides_not_on_this_path", "provides", "{ discontinuedProducts { id name price } }", ()),
    ("override_labels_inactive", "override", "{ products { id name plain never beta } }", ()),
    ("override_custom_label_active", "override", "{ products { id name plain never beta } }", ("beta",)),
    ("fed1_subgraph", "fed1", "{ products { name legacyCode } legacyProducts { id name legacyCode } }", ()),
    (
        "mutations_serial",
        "mutations",
        'mutation { m1: addA(text: "one") { seq } m2: addB(text: "two") { seq } m3: addA(text: "three") { seq } }',
        (),
    ),
    ("mutations_consecutive_share_a_fetch", "mutations", 'mutation { x: addA(text: "four") { seq } y: bumpA }', ()),
    (
        "variables_in_entity_fetch",
        "variables",
        "query Reviews($n: Int = 1) { products { name reviews(first: $n) { body } } }",
        (),
    ),
    (
        "variables_nested_in_input",
        "variables",
        "query($min: Int) { products { reviews(filter: {minRating: $min}) { rating } } }",
        (),
    ),
]


@cache
def supergraph(case: str) -> Supergraph:
    return load_supergraph((SUPERGRAPHS / case / "supergraph.graphql").read_text())


@pytest.mark.parametrize(("name", "case", "operation", "labels"), CASES, ids=[c[0] for c in CASES])
def test_plan_matches_its_snapshot(name: str, case: str, operation: str, labels: tuple[str, ...]) -> None:
    planner = QueryPlanner(supergraph(case))
    # percent() labels are rolled per request; the fixtures' percent(0)/percent(100) make the roll certain.
    plan = planner.plan(parse(operation), None, override_labels=frozenset(labels))
    assert_snapshot(f"case_{name}", print_plan(plan))
