"""Document clean-ups before a subgraph is validated and read: what subgraph libraries add, orphan extensions.

Subgraph libraries add ``_Service``, ``_entities``, ``_service`` and the federation directive definitions;
they are dropped so that SDLs with and without them compose alike (federation-notes §1.3, case 4).
"""

from __future__ import annotations

from dataclasses import replace

from graphql import (
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)

from gateway.supergraph.compose import federation_spec as spec
from gateway.supergraph.compose.federation_link import FederationNames

_DEFINITION_OF: dict[type, type] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}


def orphan_extensions_defined(document: DocumentNode) -> DocumentNode:
    """Turns the first extension of a type defined nowhere into its definition (``extend type`` of an entity
    owned elsewhere is how Fed 1, and some Fed 2, subgraphs write them), for GraphQL validation only."""
    defined = {d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)}
    result: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, TypeExtensionNode) and definition.name.value not in defined:
            defined.add(definition.name.value)
            node_class = _DEFINITION_OF[type(definition)]
            attrs = {k: getattr(definition, k) for k in definition.keys if k != "loc"}
            definition = node_class(**attrs)
        result.append(definition)
    return DocumentNode(definitions=tuple(result))


def strip_library_definitions(document: DocumentNode, names: FederationNames) -> DocumentNode:
    """Drops what the subgraph library adds, so that SDLs with and without it compose alike (case 4)."""
    owned_types = {names.local[t] for t in spec.TYPES if t in names.local} | spec.LIBRARY_TYPES
    owned_directives = set(names.element) | spec.LIBRARY_DIRECTIVES
    kept: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            if definition.name.value in owned_directives:
                continue
        elif isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            if definition.name.value in owned_types:
                continue
            fields = getattr(definition, "fields", None)
            if fields and any(f.name.value in spec.LIBRARY_QUERY_FIELDS for f in fields):
                rest = tuple(f for f in fields if f.name.value not in spec.LIBRARY_QUERY_FIELDS)
                if not rest and not definition.directives:
                    continue  # a Query the library made up for _entities/_service alone
                definition = replace(definition, fields=rest)  # type: ignore[call-arg]
        kept.append(definition)
    return DocumentNode(definitions=tuple(kept))
