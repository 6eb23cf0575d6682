"""Response shaping over merged data: order, aliases, fragments, directives, nulls, enums, introspection."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, build_schema, parse

from gateway.executor.shape import ShapeProgram

SCHEMA = build_schema(
    """
    type Query {
      product(upc: String): Product
      products: [Product!]!
      me: User!
      search: [Result]
      media: [Media]
      color: Color
    }
    type Product { upc: String! name: String! price: Int reviews: [Review!] tags: [String!] }
    type Review { body: String! stars: Int }
    type User { id: ID! name: String }
    union Result = Product | User
    interface Media { id: ID! title: String }
    type Book implements Media { id: ID! title: String pages: Int }
    type Movie implements Media { id: ID! title: String minutes: Int }
    enum Color { RED GREEN }
    """
)


def shape(
    query: str,
    data: dict[str, Any],
    variables: dict[str, Any] | None = None,
    explained: set[tuple[str | int, ...]] | None = None,
) -> tuple[Any, list[dict[str, Any]]]:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    errors: list[dict[str, Any]] = []
    result = ShapeProgram(SCHEMA, document, operation).shape(data, variables or {}, errors, explained or set())
    return result, errors


def test_query_order_aliases_and_no_planner_fields() -> None:
    # Merged data is keyed by response key; keys and @requires inputs the planner added are extra.
    data = {"p": {"__typename": "Product", "upc": "1", "price": 3, "label": "Lamp", "weight": 9}, "extra": 1}
    result, errors = shape("{ __typename p: product { price label: name } }", data)
    assert errors == []
    assert result == {"__typename": "Query", "p": {"price": 3, "label": "Lamp"}}
    assert list(result["p"]) == ["price", "label"]


def test_same_field_selected_twice_merges_its_selections() -> None:
    data = {"product": {"upc": "1", "name": "Lamp", "price": 3}}
    result, _ = shape("{ product { upc } product { name ... on Product { price upc } } }", data)
    assert result == {"product": {"upc": "1", "name": "Lamp", "price": 3}}
    assert list(result["product"]) == ["upc", "name", "price"]


def test_fragments_match_the_runtime_type_and_typename_aliases_agree() -> None:
    data = {
        "search": [
            {"__typename": "Product", "upc": "1", "name": "Lamp"},
            {"__typename": "User", "id": "7", "name": "Ada"},
            None,
        ]
    }
    query = """
      { search { a: __typename ... on Product { upc b: __typename } ...U } }
      fragment U on User { id c: __typename }
    """
    result, errors = shape(query, data)
    assert errors == []
    assert result == {
        "search": [{"a": "Product", "upc": "1", "b": "Product"}, {"a": "User", "id": "7", "c": "User"}, None]
    }


def test_interface_fields_and_type_conditions() -> None:
    data = {
        "media": [
            {"__typename": "Book", "id": "1", "title": "T", "pages": 10},
            {"__typename": "Movie", "id": "2", "title": "M", "minutes": 90},
        ]
    }
    result, _ = shape("{ media { title ... on Book { pages } ... on Movie { minutes } } }", data)
    assert result == {"media": [{"title": "T", "pages": 10}, {"title": "M", "minutes": 90}]}


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"withPrice": True, "noName": False}, {"price": 3, "name": "Lamp"}),  # include on, skip off
        ({"withPrice": False, "noName": True}, {}),  # include off, skip on
        ({"withPrice": True, "noName": True}, {"price": 3}),  # each directive on its own field
    ],
)
def test_skip_and_include_follow_the_coerced_variables(variables: dict[str, Any], expected: dict[str, Any]) -> None:
    query = """query($withPrice: Boolean = true, $noName: Boolean!) {
      product { price @include(if: $withPrice) name @skip(if: $noName) upc @skip(if: true) }
    }"""
    result, _ = shape(query, {"product": {"upc": "1", "name": "Lamp", "price": 3}}, variables)
    assert result == {"product": expected}


def test_a_field_skipped_in_one_place_but_not_another_is_kept() -> None:
    query = "query($s: Boolean!) { product { name @skip(if: $s) ... on Product { name } } }"
    result, _ = shape(query, {"product": {"name": "Lamp"}}, {"s": True})
    assert result == {"product": {"name": "Lamp"}}


def test_null_non_null_field_bubbles_to_the_nearest_nullable_parent() -> None:
    result, errors = shape("{ product { upc name } color }", {"product": {"upc": "1", "name": None}, "color": "RED"})
    assert result == {"product": None, "color": "RED"}
    assert errors == [
        {
            "message": "Cannot return null for non-nullable field Product.name.",
            "path": ["product", "name"],
            "extensions": {"code": "INVALID_SUBGRAPH_VALUE"},
        }
    ]


def test_non_null_list_item_nulls_the_nullable_list() -> None:
    data = {"product": {"reviews": [{"body": "ok"}, {"stars": 1}]}}  # body absent: an unresolved entity
    result, errors = shape("{ product { reviews { body } } }", data)
    assert result == {"product": {"reviews": None}}
    assert [e["path"] for e in errors] == [["product", "reviews", 1, "body"]]


def test_bubbling_through_non_null_root_fields_nulls_data() -> None:
    result, errors = shape("{ products { name } me { id } }", {"products": [{"name": None}], "me": {"id": "1"}})
    assert result is None
    assert [e["path"] for e in errors] == [["products", 0, "name"]]


def test_no_spurious_error_under_an_already_explained_path() -> None:
    # A failed fetch already reported ["product"]: its non-null fields null it silently.
    result, errors = shape(
        "{ product { upc name } me { id } }", {"product": {"upc": "1"}, "me": {"id": "1"}}, explained={("product",)}
    )
    assert result == {"product": None, "me": {"id": "1"}}
    assert errors == []


def test_missing_root_field_of_a_failed_subgraph_is_null_without_new_error() -> None:
    result, errors = shape("{ me { id } color }", {"color": "GREEN"}, explained={("me",)})
    assert result is None
    assert errors == []


def test_unknown_enum_value_becomes_null_with_an_error() -> None:
    result, errors = shape("{ color }", {"color": "PURPLE"})
    assert result == {"color": None}
    assert errors[0]["message"] == 'Enum "Color" cannot represent value: "PURPLE"'
    assert errors[0]["path"] == ["color"]


def test_abstract_value_with_unknown_typename_is_nulled() -> None:
    result, errors = shape("{ media { id } }", {"media": [{"__typename": "Media", "id": "1"}]})
    assert result == {"media": [None]}
    assert errors[0]["path"] == ["media", 0]


def test_introspection_is_answered_from_the_api_schema_beside_data() -> None:
    query = '{ __type(name: "Product") { name fields { name } } p: product { name } }'
    result, errors = shape(query, {"p": {"name": "Lamp"}})
    assert errors == []
    assert result["__type"]["name"] == "Product"
    assert [f["name"] for f in result["__type"]["fields"]] == ["upc", "name", "price", "reviews", "tags"]
    assert result["p"] == {"name": "Lamp"}


def test_introspection_via_a_fragment_is_detected() -> None:
    result, _ = shape("{ ...F } fragment F on Query { __schema { queryType { name } } }", {})
    assert result == {"__schema": {"queryType": {"name": "Query"}}}
