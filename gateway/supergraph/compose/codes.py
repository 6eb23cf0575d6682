"""Composition errors and hints: Apollo's codes, in one registry that says what each means.

Errors stop composition; hints are advice and never do. Both are plain frozen
data with Apollo's ``extensions.code`` (federation-notes §3), and render as a
``GraphQLError`` for callers that want one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import GraphQLError

ERROR_CODES: Mapping[str, str] = {
    "INVALID_GRAPHQL": "A subgraph schema is not valid GraphQL.",
    "INVALID_LINK_DIRECTIVE_USAGE": "A @link is malformed or imports an element its spec does not define.",
    "UNKNOWN_FEDERATION_LINK_VERSION": "A subgraph links a federation version that does not exist.",
    "INVALID_SUBGRAPH_NAME": "A subgraph name is empty or reserved.",
    "KEY_INVALID_FIELDS": "A @key field set is not valid syntax or names unknown fields.",
    "REQUIRES_INVALID_FIELDS": "A @requires field set is not valid syntax or names unknown fields.",
    "PROVIDES_INVALID_FIELDS": "A @provides field set is not valid syntax or names unknown fields.",
    "KEY_FIELDS_HAS_ARGS": "A @key selects a field that takes arguments.",
    "KEY_FIELDS_SELECT_INVALID_TYPE": "A @key selects an interface- or union-typed field.",
    "KEY_DIRECTIVE_IN_FIELDS_ARG": "A @key field set applies directives.",
    "PROVIDES_FIELDS_HAS_ARGS": "A @provides selects a field that takes arguments.",
    "REQUIRES_FIELDS_MISSING_EXTERNAL": "A @requires selects a field that is not @external.",
    "PROVIDES_FIELDS_MISSING_EXTERNAL": "A @provides selects a field that is not @external.",
    "PROVIDES_ON_NON_OBJECT_FIELD": "@provides is applied to a field whose type is not composite.",
    "EXTERNAL_UNUSED": "An @external field is used by no @key, @requires, @provides or interface.",
    "EXTERNAL_MISSING_ON_BASE": "A field is @external in every subgraph that declares it.",
    "INVALID_FIELD_SHARING": "A field resolved by several subgraphs is not @shareable in all of them.",
    "INVALID_SHAREABLE_USAGE": "@shareable is applied to an interface or interface field.",
    "FIELD_TYPE_MISMATCH": "A field has incompatible types across subgraphs.",
    "FIELD_ARGUMENT_TYPE_MISMATCH": "An argument or input field has incompatible types across subgraphs.",
    "FIELD_ARGUMENT_DEFAULT_MISMATCH": "An argument has different default values across subgraphs.",
    "INPUT_FIELD_DEFAULT_MISMATCH": "An input field has different default values across subgraphs.",
    "TYPE_KIND_MISMATCH": "A type is defined with different kinds across subgraphs.",
    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH": "A required argument is missing from some subgraph's field.",
    "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH": "A required input field is missing from some subgraph.",
    "EMPTY_MERGED_INPUT_TYPE": "An input type has no field common to all subgraphs.",
    "ENUM_VALUE_MISMATCH": "An enum used as input and output has different values across subgraphs.",
    "EMPTY_MERGED_ENUM_TYPE": "An input-only enum has no value common to all subgraphs.",
    "INTERFACE_FIELD_NO_IMPLEM": "An implementation lacks a field of its interface after merging.",
    "INTERFACE_KEY_NOT_ON_IMPLEMENTATION": "An implementation of an entity interface lacks the interface's key.",
    "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE": "A subgraph with an entity interface lacks an implementation.",
    "INTERFACE_OBJECT_USAGE_ERROR": "@interfaceObject is misused (no key, not an interface elsewhere, ...).",
    "OVERRIDE_FROM_SELF_ERROR": "@override names the subgraph it is applied in.",
    "OVERRIDE_SOURCE_HAS_OVERRIDE": "A field is overridden from a subgraph that itself overrides it.",
    "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE": "@override is combined with @external, @requires or @provides.",
    "OVERRIDE_ON_INTERFACE": "@override is applied to an interface field.",
    "OVERRIDE_LABEL_INVALID": "An @override label is neither a valid name nor percent(0..100).",
    "REFERENCED_INACCESSIBLE": "A visible element references an @inaccessible type.",
    "ONLY_INACCESSIBLE_CHILDREN": "Every field, member or value of a visible type is @inaccessible.",
    "REQUIRED_INACCESSIBLE": "A required argument or input field is @inaccessible.",
    "IMPLEMENTED_BY_INACCESSIBLE": "An @inaccessible field implements a visible interface field.",
    "QUERY_ROOT_TYPE_INACCESSIBLE": "The query root type is @inaccessible.",
    "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE": "An auth directive is applied to an interface or its fields.",
    "NO_QUERIES": "No subgraph defines a query root field.",
    "ROOT_QUERY_USED": "A type is named Query but another type is the query root.",
    "ROOT_MUTATION_USED": "A type is named Mutation but another type is the mutation root.",
    "ROOT_SUBSCRIPTION_USED": "A type is named Subscription but another type is the subscription root.",
    "SATISFIABILITY_ERROR": "Some query on the API schema cannot be executed by the subgraphs.",
    "DIRECTIVE_COMPOSITION_ERROR": "A @composeDirective cannot be composed.",
    "UNSUPPORTED_FEATURE": "A federation feature this composer does not implement (@context, @fromContext).",
}

HINT_CODES: Mapping[str, str] = {
    "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE": "A field's types differ but are compatible; the most general wins.",
    "INCONSISTENT_DESCRIPTION": "An element's description differs across subgraphs.",
    "INCONSISTENT_INPUT_OBJECT_FIELD": "An optional input field is missing from some subgraph and is dropped.",
    "INCONSISTENT_ARGUMENT_PRESENCE": "An optional argument is missing from some subgraph and is dropped.",
    "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM": "An input enum value is missing from some subgraph and is dropped.",
    "UNUSED_ENUM_TYPE": "An enum is used by no field; its values are merged as a union.",
    "OVERRIDDEN_FIELD_CAN_BE_REMOVED": "A field overridden away is no longer used in its old subgraph.",
    "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED": "@override names a subgraph that no longer defines the field.",
    "FROM_SUBGRAPH_DOES_NOT_EXIST": "@override names a subgraph that does not exist.",
    "INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE": "An executable directive missing from some subgraph is dropped.",
}


@dataclass(frozen=True, slots=True)
class CompositionError:
    """One composition error: an Apollo code and a message naming subgraphs and coordinates."""

    code: str
    message: str

    def __post_init__(self) -> None:
        assert self.code in ERROR_CODES, f"unregistered composition error code {self.code}"

    def to_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code})

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True, slots=True)
class Hint:
    """Advice that does not stop composition."""

    code: str
    message: str

    def __post_init__(self) -> None:
        assert self.code in HINT_CODES, f"unregistered composition hint code {self.code}"

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def in_subgraph(subgraph: str, code: str, message: str) -> CompositionError:
    """A per-subgraph error, prefixed ``[name]`` as Apollo does."""
    return CompositionError(code, f"[{subgraph}] {message}")


def subgraph_names(names: Iterable[str]) -> str:
    """``subgraph "a"``, ``subgraphs "a" and "b"``, ``subgraphs "a", "b" and "c"`` (Apollo's wording)."""
    quoted = [f'"{name}"' for name in names]
    if len(quoted) == 1:
        return f"subgraph {quoted[0]}"
    return f"subgraphs {', '.join(quoted[:-1])} and {quoted[-1]}"
