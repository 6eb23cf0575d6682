"""One case per composition error code: the exact code, and a message that names the place."""

from __future__ import annotations

import pytest

from tests.gateway.supergraph.compose.support import compose_sdl

IMPORTS = (
    '"@key", "@shareable", "@external", "@requires", "@provides", "@override", "@inaccessible", "@interfaceObject", '
    '"@authenticated", "@composeDirective"'
)
L = f'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{IMPORTS}])\n'
Q = "type Query { q: Int }\n"

CASES: list[tuple[str, dict[str, str], str]] = [
    # (code, subgraphs, a fragment of the message that names the place)
    ("INVALID_GRAPHQL", {"a": L + "type Query { q: Nope }"}, "[a] Unknown type 'Nope'."),
    ("INVALID_GRAPHQL", {"a": L + "type Query { q: Int"}, "[a] Syntax Error"),
    (
        "INVALID_LINK_DIRECTIVE_USAGE",
        {
            "a": 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@interfaceObject"])\n'
            + Q
        },
        '[a] Cannot import unknown element "@interfaceObject" from federation v2.0',
    ),
    (
        "UNKNOWN_FEDERATION_LINK_VERSION",
        {"a": 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.99", import: ["@key"])\n' + Q},
        "[a] Invalid version v2.99",
    ),
    ("INVALID_SUBGRAPH_NAME", {"a b": L + Q}, 'Invalid subgraph name "a b"'),
    (
        "KEY_INVALID_FIELDS",
        {"a": L + Q + 'type T @key(fields: "nope") { id: ID }'},
        '[a] On type "T", for @key(fields: "nope")',
    ),
    (
        "KEY_FIELDS_HAS_ARGS",
        {"a": L + Q + 'type T @key(fields: "id") { id(x: Int): ID }'},
        "field T.id cannot be included",
    ),
    (
        "KEY_DIRECTIVE_IN_FIELDS_ARG",
        {"a": L + Q + 'type T @key(fields: "id @include(if: true)") { id: ID }'},
        '[a] On type "T", for @key(fields: "id @include(if: true)")',
    ),
    (
        "REQUIRES_INVALID_FIELDS",
        {"a": L + Q + 'type T @key(fields: "id") { id: ID x: Int @requires(fields: "nope") }'},
        '[a] On field "T.x", for @requires(fields: "nope")',
    ),
    (
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
        {"a": L + Q + 'type T @key(fields: "id") { id: ID w: Int x: Int @requires(fields: "w") }'},
        'field "T.w" should not be part of a @requires',
    ),
    (
        "PROVIDES_INVALID_FIELDS",
        {"a": L + 'type Query { t: T @provides(fields: "nope") }' + ' type T @key(fields: "id") { id: ID }'},
        '[a] On field "Query.t", for @provides(fields: "nope")',
    ),
    (
        "PROVIDES_ON_NON_OBJECT_FIELD",
        {"a": L + 'type Query { q: Int @provides(fields: "x") }'},
        'Invalid @provides directive on field "Query.q"',
    ),
    (
        "PROVIDES_FIELDS_MISSING_EXTERNAL",
        {"a": L + 'type Query { t: T @provides(fields: "n") } type T @key(fields: "id") { id: ID n: Int }'},
        'field "T.n" should not be part of a @provides',
    ),
    (
        "PROVIDES_FIELDS_HAS_ARGS",
        {
            "a": L
            + 'type Query { t: T @provides(fields: "n") } '
            + 'type T @key(fields: "id") { id: ID n(x: Int): Int @external }',
            "b": L + 'type T @key(fields: "id") { id: ID n(x: Int): Int }',
        },
        'field "T.n" cannot be included because it has arguments',
    ),
    (
        "INVALID_SHAREABLE_USAGE",
        {"a": L + Q + "interface I { x: Int @shareable }"},
        'Invalid use of @shareable on field "I.x"',
    ),
    (
        "FIELD_ARGUMENT_TYPE_MISMATCH",
        {"a": L + "type Query { q(x: Int): Int @shareable }", "b": L + "type Query { q(x: String): Int @shareable }"},
        'Type of argument "Query.q(x:)" is incompatible across subgraphs',
    ),
    (
        "FIELD_ARGUMENT_DEFAULT_MISMATCH",
        {
            "a": L + "type Query { q(x: Int = 1): Int @shareable }",
            "b": L + "type Query { q(x: Int = 2): Int @shareable }",
        },
        'Argument "Query.q(x:)" has incompatible default values',
    ),
    (
        "INPUT_FIELD_DEFAULT_MISMATCH",
        {
            "a": L + "type Query { a(i: I): Int } input I { x: Int = 1 }",
            "b": L + "type Query { b(i: I): Int } input I { x: Int = 2 }",
        },
        'Input object field "I.x" has incompatible default values',
    ),
    (
        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
        {"a": L + "type Query { q(x: Int!): Int @shareable }", "b": L + "type Query { q: Int @shareable }"},
        'Argument "Query.q(x:)" is required in some subgraphs',
    ),
    (
        "TYPE_KIND_MISMATCH",
        {"a": L + "type Query { a: T } type T { x: Int }", "b": L + "type Query { b: T } interface T { x: Int }"},
        'Type "T" has mismatched kind: it is defined as Object Type in subgraph "a" but Interface Type in subgraph "b"',
    ),
    (
        "EMPTY_MERGED_INPUT_TYPE",
        {
            "a": L + "type Query { a(i: I): Int } input I { x: Int }",
            "b": L + "type Query { b(i: I): Int } input I { y: Int }",
        },
        'None of the fields of input object type "I"',
    ),
    (
        "EMPTY_MERGED_ENUM_TYPE",
        {"a": L + "type Query { a(e: E): Int } enum E { X }", "b": L + "type Query { b(e: E): Int } enum E { Y }"},
        'None of the values of enum type "E"',
    ),
    (
        "INTERFACE_FIELD_NO_IMPLEM",
        {
            "a": L + "type Query { i: I } interface I { x: Int } type T implements I @shareable { x: Int }",
            "b": L + "interface I { x: Int y: Int } type T @shareable { x: Int }",
        },
        'Interface field "I.y" is declared in subgraph "b" but type "T"',
    ),
    (
        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
        {"a": L + 'type Query { i: I } interface I @key(fields: "id") { id: ID! } type T implements I { id: ID! }'},
        '[a] Key @key(fields: "id") on interface type "I" is missing on implementation type "T".',
    ),
    (
        "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
        {
            "a": L + 'type Query { i: I } interface I @key(fields: "id") { id: ID! } '
            'type T implements I @key(fields: "id") { id: ID! }',
            "b": L + 'interface I { id: ID! } type U implements I @key(fields: "id") { id: ID! }',
        },
        'Subgraph "a" should define type "U"',
    ),
    (
        "INTERFACE_OBJECT_USAGE_ERROR",
        {"a": L + Q + 'type M @interfaceObject @key(fields: "id") { id: ID! }'},
        'Type "M" is declared with @interfaceObject in all the subgraphs',
    ),
    (
        "OVERRIDE_SOURCE_HAS_OVERRIDE",
        {
            "a": L + 'type Query { t: T } type T @key(fields: "id") { id: ID! n: Int @override(from: "b") }',
            "b": L + 'type T @key(fields: "id") { id: ID! n: Int @override(from: "a") }',
        },
        'Field "T.n" on subgraph "a" is also marked with directive @override in subgraph "b"',
    ),
    (
        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
        {
            "a": L + 'type Query { t: T } type T @key(fields: "id") { id: ID! n: Int }',
            "b": L + 'type T @key(fields: "id") { id: ID! n: Int @external @override(from: "a") x: Int '
            '@requires(fields: "n") }',
        },
        '@override cannot be used on field "T.n" on subgraph "b"',
    ),
    (
        "OVERRIDE_ON_INTERFACE",
        {"a": L + Q + 'interface I { n: Int @override(from: "b") }', "b": L + Q.replace("q", "r")},
        '@override cannot be used on field "I.n" on subgraph "a"',
    ),
    (
        "ONLY_INACCESSIBLE_CHILDREN",
        {"a": L + "type Query { q: T } type T { x: Int @inaccessible }"},
        'Type "T" is in the API schema but all of its fields are @inaccessible.',
    ),
    (
        "REQUIRED_INACCESSIBLE",
        {"a": L + "type Query { q(x: Int! @inaccessible): Int }"},
        'Argument "Query.q(x:)" is required, but is marked @inaccessible.',
    ),
    (
        "IMPLEMENTED_BY_INACCESSIBLE",
        {
            "a": L
            + "type Query { i: I } interface I { x: Int y: Int } type T implements I { x: Int @inaccessible y: Int }"
        },
        'Field "T.x" is @inaccessible but implements the interface field "I.x"',
    ),
    (
        "QUERY_ROOT_TYPE_INACCESSIBLE",
        {"a": L + "type Query @inaccessible { q: Int }"},
        'Type "Query" is @inaccessible but is the root query type',
    ),
    (
        "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
        {"a": L + Q + "interface I @authenticated { x: Int }"},
        'on interface "I"',
    ),
    ("NO_QUERIES", {"a": L + 'type T @key(fields: "id") { id: ID }'}, "No queries found in any subgraph"),
    (
        "ROOT_QUERY_USED",
        {"a": L + "schema { query: Root } type Root { q: Int } type Query { x: Int }"},
        '[a] The schema has a type named "Query" but it is not set as the query root type',
    ),
    (
        "DIRECTIVE_COMPOSITION_ERROR",
        {"a": L.replace("\n", ' @composeDirective(name: "@custom")\n') + Q + "directive @custom on OBJECT"},
        'Could not find matching @link for directive "@custom"',
    ),
    (
        "UNSUPPORTED_FEATURE",
        {"a": L.replace('"@key"', '"@key", "@context"') + Q + 'type T @context(name: "c") { id: ID }'},
        '[a] @context(name: "c") on "T" is not supported',
    ),
]


@pytest.mark.parametrize(("code", "subgraphs", "fragment"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_error_code_and_message(code: str, subgraphs: dict[str, str], fragment: str) -> None:
    result = compose_sdl(subgraphs)
    assert result.supergraph_sdl is None
    matching = [e for e in result.errors if e.code == code]
    assert matching, [str(e) for e in result.errors]
    assert any(fragment in e.message for e in matching), [e.message for e in matching]
