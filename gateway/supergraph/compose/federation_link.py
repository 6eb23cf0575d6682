"""Which names a subgraph gives the federation elements: read from its ``@link`` to the federation spec.

A Federation 2 subgraph imports elements under their own names or a rename, and reaches the rest under
the link's prefix (``@federation__key``); a subgraph without that link is Federation 1 and uses the bare names.
"""

from __future__ import annotations

from graphql import ConstDirectiveNode, DocumentNode, SchemaDefinitionNode, SchemaExtensionNode

from gateway.errors import SupergraphError
from gateway.supergraph.compose import federation_spec as spec
from gateway.supergraph.compose.codes import CompositionError, in_subgraph
from gateway.supergraph.links import Link, link_from_arguments


class FederationNames:
    """Local directive/type names of the federation elements in one subgraph, both ways."""

    def __init__(self, local: dict[str, str]) -> None:
        self.local = local  # element -> local name
        self.element = {name: element for element, name in local.items()}


def federation_link(
    subgraph: str, document: DocumentNode, errors: list[CompositionError]
) -> tuple[Link | None, FederationNames, tuple[int, int]]:
    """The federation link (``None`` for Federation 1), the element names it gives and the federation version."""
    for directive in schema_directives(document):
        if directive.name.value != "link":
            continue
        try:
            link = link_from_arguments(directive)
        except SupergraphError as exc:
            errors.append(in_subgraph(subgraph, "INVALID_LINK_DIRECTIVE_USAGE", exc.message))
            continue
        if link.identity != spec.FEDERATION_SPEC:
            continue
        major, minor = (int(part) for part in link.version.split("."))
        if major != 2 or minor > spec.LATEST_MINOR:
            errors.append(
                in_subgraph(
                    subgraph,
                    "UNKNOWN_FEDERATION_LINK_VERSION",
                    f"Invalid version v{link.version} for the federation feature in @link direction on schema",
                )
            )
            break
        directives, types = spec.elements(minor)
        local: dict[str, str] = {}
        for element in directives:
            local[element] = link.imports.get("@" + element, "@" + f"{link.prefix}__{element}").removeprefix("@")
        for element in types:
            local[element] = link.imports.get(element, f"{link.prefix}__{element}")
        for imported in link.imports:
            bare = imported.removeprefix("@")
            if bare not in local:
                errors.append(
                    in_subgraph(
                        subgraph,
                        "INVALID_LINK_DIRECTIVE_USAGE",
                        f'Cannot import unknown element "{imported}" from federation v{link.version}',
                    )
                )
        return link, FederationNames(local), (2, minor)
    return None, FederationNames(dict(spec.FED1_NAMES)), (1, 0)


def schema_directives(document: DocumentNode) -> list[ConstDirectiveNode]:
    """The directives applied to the schema (``schema @link(…)`` and ``extend schema @link(…)``)."""
    return [
        d
        for definition in document.definitions
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode)
        for d in definition.directives or ()
    ]
