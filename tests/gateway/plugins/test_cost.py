"""Demand-control cost estimates (Apollo's static estimate) on a small schema with @cost and @listSize."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, build_schema, parse

from gateway.plugins.cost import CostModel

SCHEMA = build_schema(
    """
    directive @cost(weight: Int!) on ARGUMENT_DEFINITION | FIELD_DEFINITION | OBJECT | SCALAR | ENUM
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],
                        requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    type Query {
      parks: [Park!]! @listSize(assumedSize: 3)
      meters(first: Int, last: Int): [Meter!]! @listSize(slicingArguments: ["first", "last"])
      readings(first: Int = 4): ReadingConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
      things: [Thing!]!
      report(detail: Boolean @cost(weight: 7)): String
    }
    type Mutation { recalculate: Park }
    type Park @cost(weight: 2) { code: ID! meters: [Meter!]! }
    type Meter { id: ID! reading: Float @cost(weight: 5) }
    type ReadingConnection { edges: [ReadingEdge!]! total: Int }
    type ReadingEdge { node: Meter! }
    union Thing = Park | Meter
    """
)


def estimate(query: str, variables: dict[str, Any] | None = None) -> float:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return CostModel.from_schema(SCHEMA).compile(document, operation).estimate(variables or {})


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        ("{ parks { code } }", None, 3 * 2),  # assumedSize 3 x the type's @cost 2; scalars free
        ("{ parks { meters { id } } }", None, 3 * (2 + 10 * 1)),  # no @listSize: the default size 10
        ("{ meters(first: 4) { reading } }", None, 4 * (1 + 5)),  # a field's @cost
        ("query($n: Int) { meters(first: $n) { id } }", {"n": 7}, 7),  # the size from a variable
        ("{ meters(first: 2, last: 6) { id } }", None, 6),  # several slicing arguments: the largest
        ("{ readings { total edges { node { id } } } }", None, 1 + 4 * (1 + 1)),  # sizedFields, schema default
        ("{ readings(first: 9) { edges { node { id } } } }", None, 1 + 9 * 2),
        ("{ things { ... on Park { code } ... on Meter { reading } } }", None, 10 * (1 + 5)),  # dearest branch
        ("{ report(detail: true) }", None, 7),  # an argument's @cost when it is passed
        ("{ report }", None, 0),
        ("mutation { recalculate { code } }", None, 2),  # @cost on the type beats the mutation default of 10
        ("{ __typename parks { __typename } }", None, 6),
    ],
)
def test_estimates(query: str, variables: dict[str, Any] | None, cost: float) -> None:
    assert estimate(query, variables) == cost


def test_mutation_root_fields_cost_ten_by_default() -> None:
    schema = build_schema("type Query { a: Int } type Mutation { run: R } type R { ok: Boolean }")
    document = parse("mutation { run { ok } }")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert CostModel.from_schema(schema).compile(document, operation).estimate({}) == 10
