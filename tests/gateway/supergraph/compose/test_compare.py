"""Structural comparison of supergraphs: text layout does not matter, API and join metadata do."""

from __future__ import annotations

from graphql import DocumentNode, parse, print_ast

from gateway.supergraph.compose.compare import differences
from tests.gateway.supergraph.compose.support import FIXTURES

BENCH = (FIXTURES / "bench" / "supergraph.graphql").read_text(encoding="utf-8")


def test_same_supergraph_laid_out_otherwise_has_no_differences() -> None:
    document = parse(BENCH)
    reflowed = print_ast(DocumentNode(definitions=tuple(reversed(document.definitions))))  # another order
    assert reflowed != BENCH
    assert differences(reflowed, BENCH) == []


def test_a_changed_join_field_and_a_changed_url_are_named() -> None:
    changed = BENCH.replace('url: "http://127.0.0.1:24103/graphql"', 'url: "http://elsewhere/graphql"')
    assert changed != BENCH, "the fixture's inventory URL changed: update this test"
    changed = changed.replace(
        '@join__field(graph: INVENTORY, requires: "price weight")', "@join__field(graph: INVENTORY)"
    )
    assert differences(changed, BENCH) == ["subgraphs inventory", "fields Product.shippingEstimate"]
