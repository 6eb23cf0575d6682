"""Satisfiability beyond the simple cases: each composes to exactly the SATISFIABILITY_ERRORs Apollo 2.14.4 gives.

``tests/fixtures/satisfiability/apollo_errors.json`` holds each case's subgraphs and the messages (witness
query and reasons) that ``@apollo/composition`` 2.14.4's ``composeServices`` returned for them.
"""

from __future__ import annotations

import json

import pytest

from tests.gateway.supergraph.compose.support import ROOT, compose_sdl

RECORDED = json.loads((ROOT / "tests/fixtures/satisfiability/apollo_errors.json").read_text(encoding="utf-8"))

CASES = {
    # Every @key of T in the owner is resolvable: false: no way in, and Apollo says why.
    "unresolvable_keys": "keys all resolvable: false",
    # @requires(fields: "owner { name }"): the nested field lives only where no key leads.
    "requires_nested": "nested @requires unsatisfiable",
    # x requires y, y requires z, z only behind resolvable: false keys: the whole chain fails, with the
    # reasons from every subgraph a key jump reaches ("ignoring moving … more direct path").
    "requires_chain3": "@requires chain unsatisfiable",
    # An interface field whose implementation resolves it only behind resolvable: false keys.
    "interface_field2": "interface field reachable nowhere",
    # The nested @requires reachable through a key jump: composes.
    "requires_deep_ok": "nested @requires satisfiable",
    # @requires with a type condition whose field is unreachable.
    "requires_abstract": "@requires through an inline fragment",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_composes_to_the_errors_apollo_gives(case: str) -> None:
    recorded = RECORDED[case]
    result = compose_sdl(recorded["subgraphs"])
    assert [e.code for e in result.errors] == ["SATISFIABILITY_ERROR"] * len(recorded["errors"])
    assert [e.message for e in result.errors] == recorded["errors"]
    assert (result.supergraph_sdl is None) == bool(recorded["errors"])


HEADER = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])\n'
)


def test_a_requires_cycle_is_unsatisfiable_on_both_fields() -> None:
    # Apollo's composition overflows its stack on this one; we name both fields of the cycle.
    result = compose_sdl(
        {
            "a": HEADER + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID! }',
            "b": HEADER + 'type T @key(fields: "id") { id: ID! y: Int @external x: Int @requires(fields: "y") }',
            "c": HEADER + 'type T @key(fields: "id") { id: ID! x: Int @external y: Int @requires(fields: "x") }',
        }
    )
    assert result.supergraph_sdl is None
    assert [e.code for e in result.errors] == ["SATISFIABILITY_ERROR", "SATISFIABILITY_ERROR"]
    y, x = (e.message for e in result.errors)
    assert y.startswith("The following supergraph API query:\n{\n  t {\n    y\n  }\n}\n")
    assert '- from subgraph "c":\n  - cannot satisfy @require conditions on field "T.y".\n' in y
    assert x.startswith("The following supergraph API query:\n{\n  t {\n    x\n  }\n}\n")
    assert '- from subgraph "b":\n  - cannot satisfy @require conditions on field "T.x".\n' in x
