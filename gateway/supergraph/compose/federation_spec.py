"""The federation spec's elements, by version, and the definitions a subgraph library adds.

Used to resolve a subgraph's names through its ``@link`` and to validate the
subgraph with the federation directives defined under their local names.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from graphql import DocumentNode, parse

FEDERATION_SPEC = "https://specs.apollo.dev/federation"
LATEST_MINOR = 11  # federation v2.0 … v2.11 are known

# element -> (first minor version of v2 that has it, definition with {name} and {Type} placeholders)
DIRECTIVES: Mapping[str, tuple[int, str]] = {
    "key": (0, "directive @{key}(fields: {FieldSet}!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE"),
    "requires": (0, "directive @{requires}(fields: {FieldSet}!) on FIELD_DEFINITION"),
    "provides": (0, "directive @{provides}(fields: {FieldSet}!) on FIELD_DEFINITION"),
    "external": (0, "directive @{external}(reason: String) on OBJECT | FIELD_DEFINITION"),
    "extends": (0, "directive @{extends} on OBJECT | INTERFACE"),
    "tag": (
        0,
        "directive @{tag}(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION"
        " | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA",
    ),
    "shareable": (0, "directive @{shareable} repeatable on OBJECT | FIELD_DEFINITION"),
    "inaccessible": (
        0,
        "directive @{inaccessible} on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION"
        " | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    ),
    "override": (0, "directive @{override}(from: String!, label: String) on FIELD_DEFINITION"),
    "composeDirective": (1, "directive @{composeDirective}(name: String!) repeatable on SCHEMA"),
    "interfaceObject": (3, "directive @{interfaceObject} on OBJECT"),
    "authenticated": (5, "directive @{authenticated} on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"),
    "requiresScopes": (
        5,
        "directive @{requiresScopes}(scopes: [[{Scope}!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    ),
    "policy": (
        6,
        "directive @{policy}(policies: [[{Policy}!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    ),
    "context": (8, "directive @{context}(name: String!) repeatable on INTERFACE | OBJECT | UNION"),
    "fromContext": (8, "directive @{fromContext}(field: {ContextFieldValue}) on ARGUMENT_DEFINITION"),
    "cost": (
        9,
        "directive @{cost}(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION"
        " | OBJECT | SCALAR",
    ),
    "listSize": (
        9,
        "directive @{listSize}(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],"
        " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
    ),
}
TYPES: Mapping[str, int] = {"FieldSet": 0, "Scope": 5, "Policy": 6, "ContextFieldValue": 8}

# A Federation 1 subgraph knows these directives under their bare names, and `_FieldSet`.
FED1_DIRECTIVES = ("key", "requires", "provides", "external", "extends", "tag", "inaccessible")
FED1_NAMES: Mapping[str, str] = {
    **{name: name for name in FED1_DIRECTIVES},
    "FieldSet": "_FieldSet",
}

# Definitions a subgraph library adds; never part of the subgraph's own schema.
LIBRARY_TYPES = frozenset({"_Any", "_Entity", "_Service", "_FieldSet", "link__Import", "link__Purpose"})
LIBRARY_DIRECTIVES = frozenset({"link"})
LIBRARY_QUERY_FIELDS = frozenset({"_entities", "_service"})

_LINK_PRELUDE = """
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
"""


def elements(minor: int) -> tuple[list[str], list[str]]:
    """The directive and type elements of federation v2.<minor>."""
    return (
        [name for name, (since, _) in DIRECTIVES.items() if since <= minor],
        [name for name, since in TYPES.items() if since <= minor],
    )


@lru_cache(maxsize=64)
def prelude(names: tuple[tuple[str, str], ...], fed1: bool) -> DocumentNode:
    """Definitions of the federation elements under their local names (``names``: element → local)."""
    local = dict(names)
    lines = [_LINK_PRELUDE]
    for element in TYPES:
        if element in local:
            lines.append(f"scalar {local[element]}")
    for element, (_, template) in DIRECTIVES.items():
        if element in local:
            lines.append(template.format(**{element: local[element]}, **{t: local.get(t, t) for t in TYPES}))
    if fed1:
        lines.append("scalar _Any")
    return parse("\n".join(lines), no_location=True)
