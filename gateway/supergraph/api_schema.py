"""Derives the API schema, what clients see, from the supergraph (federation-notes §2.4).

Removes every element of the linked specs (``join__*``, ``link__*``, tag,
inaccessible, the auth and cost directives) and every ``@inaccessible``
element. Composition already guaranteed consistency, so nothing cascades:
if the result does not validate, the supergraph is refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    Node,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    build_ast_schema,
)

from gateway.errors import SupergraphError
from gateway.supergraph.links import Links

_DROPPED_BUILTINS = frozenset({"defer", "stream"})


def build_api_schema(document: DocumentNode, links: Links) -> GraphQLSchema:
    inaccessible_link = links.get("inaccessible")
    inaccessible = inaccessible_link.directive("inaccessible") if inaccessible_link else None
    pruner = _Pruner(links, inaccessible)
    for definition in document.definitions:
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            pruner.hidden(definition)  # first pass: learn the inaccessible types
    definitions: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            definitions.append(replace(definition, directives=()))
        elif isinstance(definition, DirectiveDefinitionNode):
            name = definition.name.value
            if links.owner_of(name) is None and name not in _DROPPED_BUILTINS:
                definitions.append(definition)
        elif isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            if links.owner_of(definition.name.value) is None and not pruner.hidden(definition):
                definitions.append(pruner.prune(definition))
        else:
            definitions.append(definition)
    try:
        return build_ast_schema(DocumentNode(definitions=tuple(definitions)))
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(f"the API schema derived from the supergraph is invalid: {exc}") from exc


class _Pruner:
    def __init__(self, links: Links, inaccessible: str | None) -> None:
        self.links = links
        self.inaccessible = inaccessible
        self.hidden_types: set[str] = set()

    def hidden(self, node: Node) -> bool:
        directives: tuple[ConstDirectiveNode, ...] = getattr(node, "directives", None) or ()
        hidden = self.inaccessible is not None and any(d.name.value == self.inaccessible for d in directives)
        if hidden and isinstance(node, TypeDefinitionNode | TypeExtensionNode):
            self.hidden_types.add(node.name.value)
        return hidden

    def prune(self, node: Any) -> Any:
        """Copies a type-system node without spec directives and without inaccessible children."""
        changes: dict[str, Any] = {}
        if getattr(node, "directives", None):
            changes["directives"] = tuple(d for d in node.directives if self.links.owner_of(d.name.value) is None)
        for attr in ("fields", "arguments", "values"):
            children = getattr(node, attr, None)
            if children:
                changes[attr] = tuple(self.prune(child) for child in children if not self.hidden(child))
        for attr in ("types", "interfaces"):  # union members and implemented interfaces
            named = getattr(node, attr, None)
            if named:
                changes[attr] = tuple(t for t in named if t.name.value not in self.hidden_types)
        return replace(node, **changes) if changes else node
