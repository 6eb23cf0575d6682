"""federation-notes §6 group B (cases 5–14) and case 4: composition rules with Apollo's codes and wording."""

from __future__ import annotations

from gateway.supergraph import load_supergraph
from tests.gateway.supergraph.compose.support import compose_sdl

LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", '
    '"@external", "@requires", "@provides", "@override", "@inaccessible"])\n'
)


def _codes(sdls: dict[str, str]) -> list[str]:
    return [e.code for e in compose_sdl(sdls).errors]


def test_case4_service_sdl_with_library_definitions_composes() -> None:
    # What a Fed-2-only library may serve at _service { sdl }: its own definitions included (cosmo#583).
    with_library = (
        LINK
        + """
        scalar _Any
        scalar federation__FieldSet
        union _Entity = Product
        type _Service { sdl: String }
        directive @key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
        type Query { product: Product _entities(representations: [_Any!]!): [_Entity]! _service: _Service! }
        type Product @key(fields: "id") { id: ID! name: String }
    """
    )
    result = compose_sdl({"a": with_library, "b": LINK + 'type Product @key(fields: "id") { id: ID! price: Int }'})
    assert result.errors == ()
    assert result.supergraph_sdl is not None
    api = load_supergraph(result.supergraph_sdl).api_schema
    assert "_Service" not in api.type_map and "_Entity" not in api.type_map
    assert set(api.query_type.fields) == {"product"}  # type: ignore[union-attr]


def test_case5_value_type_field_in_two_subgraphs_without_shareable() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { a: Position } type Position { x: Int }",
            "b": LINK + "type Query { b: Position } type Position { x: Int }",
        }
    )
    assert [e.code for e in result.errors] == ["INVALID_FIELD_SHARING"]
    assert result.errors[0].message == (
        'Non-shareable field "Position.x" is resolved from multiple subgraphs: it is resolved from subgraphs "a" '
        'and "b" and defined as non-shareable in all of them'
    )


def test_case6_unsatisfiable_value_type_field_gives_a_witness() -> None:
    result = compose_sdl(
        {
            "A": LINK + "type Query { positionA: Position } type Position @shareable { x: Int y: Int }",
            "B": LINK + "type Query { positionB: Position } type Position @shareable { x: Int y: Int z: Int }",
        }
    )
    assert [e.code for e in result.errors] == ["SATISFIABILITY_ERROR"]
    message = result.errors[0].message
    assert " ".join(message.split()).startswith(
        "The following supergraph API query: { positionA { z } } cannot be satisfied by the subgraphs because:"
    )
    assert '- from subgraph "A": cannot find field "Position.z".' in message


def test_case7_nullable_and_non_null_give_the_general_type_with_join_type_and_hint() -> None:
    result = compose_sdl(
        {
            "a": LINK
            + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! code: String! @shareable }',
            "b": LINK + 'type Product @key(fields: "id") { id: ID! code: String @shareable }',
        }
    )
    assert result.errors == ()
    assert result.supergraph_sdl is not None
    assert 'code: String @join__field(graph: A, type: "String!") @join__field(graph: B, type: "String")' in (
        result.supergraph_sdl
    )
    assert [h.code for h in result.hints] == ["INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE"]
    assert '"Product.code"' in result.hints[0].message


def test_case8_incompatible_field_types() -> None:
    result = compose_sdl(
        {
            "a": LINK + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! code: Int @shareable }',
            "b": LINK + 'type Product @key(fields: "id") { id: ID! code: String @shareable }',
        }
    )
    assert [e.code for e in result.errors] == ["FIELD_TYPE_MISMATCH"]
    assert result.errors[0].message == (
        'Type of field "Product.code" is incompatible across subgraphs: it has type "Int" in subgraph "a" but type '
        '"String" in subgraph "b"'
    )


def test_case9_output_only_enum_values_unite() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { a: Color } enum Color { RED GREEN }",
            "b": LINK + "type Query { b: Color } enum Color { RED BLUE }",
        }
    )
    assert result.supergraph_sdl is not None
    color = load_supergraph(result.supergraph_sdl).api_schema.type_map["Color"]
    assert set(color.values) == {"RED", "GREEN", "BLUE"}  # type: ignore[attr-defined]
    assert "GREEN @join__enumValue(graph: A)\n" in result.supergraph_sdl


def test_case9_input_only_enum_values_intersect() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { a(c: Color): Int } enum Color { RED GREEN }",
            "b": LINK + "type Query { b(c: Color): Int } enum Color { RED BLUE }",
        }
    )
    assert result.supergraph_sdl is not None
    color = load_supergraph(result.supergraph_sdl).api_schema.type_map["Color"]
    assert set(color.values) == {"RED"}  # type: ignore[attr-defined]
    assert {h.code for h in result.hints} == {"INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM"}


def test_case9_enum_used_both_ways_must_match() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { a(c: Color): Color } enum Color { RED GREEN }",
            "b": LINK + "type Query { b: Color } enum Color { RED BLUE }",
        }
    )
    assert _sorted_codes(result.errors) == ["ENUM_VALUE_MISMATCH", "ENUM_VALUE_MISMATCH"]
    assert any(
        'value "GREEN" is not defined in all the subgraphs defining "Color": "GREEN" is defined in subgraph "a" but '
        'not in subgraph "b"' in e.message
        for e in result.errors
    )


def test_case10_required_input_field_missing_in_a_subgraph() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { a(f: Filter): Int } input Filter { x: String! y: Int }",
            "b": LINK + "type Query { b(f: Filter): Int } input Filter { y: Int }",
        }
    )
    assert [e.code for e in result.errors] == ["REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"]
    assert 'Input object field "Filter.x" is required in some subgraphs' in result.errors[0].message
    assert 'required in subgraph "a" but does not appear in subgraph "b"' in result.errors[0].message


def test_case10_optional_input_field_missing_in_a_subgraph_is_dropped() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { a(f: Filter): Int } input Filter { x: String y: Int }",
            "b": LINK + "type Query { b(f: Filter): Int } input Filter { y: Int }",
        }
    )
    assert result.supergraph_sdl is not None
    filter_type = load_supergraph(result.supergraph_sdl).api_schema.type_map["Filter"]
    assert set(filter_type.fields) == {"y"}  # type: ignore[attr-defined]
    assert [h.code for h in result.hints] == ["INCONSISTENT_INPUT_OBJECT_FIELD"]


def test_case11_external_everywhere() -> None:
    result = compose_sdl(
        {
            "a": LINK + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! w: Int @external '
            's: Int @requires(fields: "w") }',
            "b": LINK + 'type Product @key(fields: "id") { id: ID! w: Int @external t: Int @requires(fields: "w") }',
        }
    )
    assert [e.code for e in result.errors] == ["EXTERNAL_MISSING_ON_BASE"]
    assert result.errors[0].message == (
        'Field "Product.w" is marked @external on all the subgraphs in which it is listed (subgraphs "a" and "b").'
    )


def test_case11_unused_external() -> None:
    result = compose_sdl(
        {
            "a": LINK + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! w: Int }',
            "b": LINK + 'type Product @key(fields: "id") { id: ID! w: Int @external }',
        }
    )
    assert [e.code for e in result.errors] == ["EXTERNAL_UNUSED"]
    assert result.errors[0].message.startswith(
        '[b] Field "Product.w" is marked @external but is not used in any federation directive'
    )


def test_case12_key_on_a_union_field() -> None:
    result = compose_sdl(
        {
            "a": LINK
            + 'type Query { b: Book } union Media = Book type Book @key(fields: "media") { id: ID! media: Media }',
        }
    )
    assert [e.code for e in result.errors] == ["KEY_FIELDS_SELECT_INVALID_TYPE"]
    assert result.errors[0].message == (
        '[a] On type "Book", for @key(fields: "media"): field "Book.media" is a Union Type which is not allowed in @key'
    )


def test_case13_override_from_self() -> None:
    result = compose_sdl(
        {
            "a": LINK
            + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! n: Int @override(from: "a") }',
        }
    )
    assert [e.code for e in result.errors] == ["OVERRIDE_FROM_SELF_ERROR"]
    assert result.errors[0].message == (
        '[a] Source and destination subgraphs "a" are the same for overridden field "Product.n"'
    )


def test_case13_override_label_out_of_range() -> None:
    result = compose_sdl(
        {
            "a": LINK + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! n: Int }',
            "b": LINK
            + 'type Product @key(fields: "id") { id: ID! n: Int @override(from: "a", label: "percent(101)") }',
        }
    )
    assert [e.code for e in result.errors] == ["OVERRIDE_LABEL_INVALID"]
    assert result.errors[0].message.startswith('[b] Invalid @override label "percent(101)" on field "Product.n"')


def test_case14_visible_field_returning_an_inaccessible_type() -> None:
    result = compose_sdl(
        {
            "a": LINK + "type Query { secret: Secret } type Secret @inaccessible { x: Int }",
        }
    )
    assert [e.code for e in result.errors] == ["REFERENCED_INACCESSIBLE"]
    assert result.errors[0].message == (
        'Type "Secret" is @inaccessible but is referenced by "Query.secret", which is in the API schema.'
    )


def _sorted_codes(errors: object) -> list[str]:
    return sorted(e.code for e in errors)  # type: ignore[attr-defined]
