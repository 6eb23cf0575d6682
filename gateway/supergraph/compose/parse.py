"""Step 1: a subgraph's SDL → a normalized :class:`~.model.Subgraph`, or errors.

Parses and GraphQL-validates the SDL with the federation definitions added
under the names its ``@link`` gives them (so renamed imports work and nothing
is hard-coded), strips what subgraph libraries add (``_Service``,
``_entities``, …, federation-notes §1.3, case 4), renames the root types to
``Query``/``Mutation``/``Subscription`` and reads every directive into the model.
Those concerns live beside this module: :mod:`.federation_link` (the names the
``@link`` gives), :mod:`.normalize` (document clean-ups) and :mod:`.read` (the model).
"""

from __future__ import annotations

import re

from graphql import (
    DocumentNode,
    GraphQLSyntaxError,
    build_ast_schema,
    parse,
    validate_schema,
)
from graphql.validation.validate import validate_sdl

from gateway.supergraph.compose import federation_spec as spec
from gateway.supergraph.compose.codes import CompositionError, in_subgraph
from gateway.supergraph.compose.federation_link import federation_link
from gateway.supergraph.compose.model import Subgraph
from gateway.supergraph.compose.normalize import orphan_extensions_defined, strip_library_definitions
from gateway.supergraph.compose.read import SubgraphReader

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def parse_subgraph(name: str, url: str, sdl: str) -> tuple[Subgraph | None, list[CompositionError]]:
    """Parses, validates and normalizes one subgraph; ``None`` with errors if it is not usable."""
    if not _NAME.match(name) or name == "_":
        return None, [CompositionError("INVALID_SUBGRAPH_NAME", f'Invalid subgraph name "{name}"')]
    try:
        document = parse(sdl, no_location=False)
    except GraphQLSyntaxError as exc:
        return None, [in_subgraph(name, "INVALID_GRAPHQL", exc.message)]
    errors: list[CompositionError] = []
    link, names, version = federation_link(name, document, errors)
    if errors:
        return None, errors
    document = strip_library_definitions(document, names)
    prelude = spec.prelude(tuple(sorted(names.local.items())), link is None)
    full = DocumentNode(definitions=(*orphan_extensions_defined(document).definitions, *prelude.definitions))
    for error in validate_sdl(full):
        errors.append(in_subgraph(name, "INVALID_GRAPHQL", error.message))
    if not errors:
        try:
            schema = build_ast_schema(full, assume_valid_sdl=True)
        except (TypeError, ValueError) as exc:
            errors.append(in_subgraph(name, "INVALID_GRAPHQL", str(exc)))
        else:
            errors.extend(
                in_subgraph(name, "INVALID_GRAPHQL", e.message)
                for e in validate_schema(schema)
                if e.message != "Query root type must be provided."  # a subgraph may only extend entities
            )
    if errors:
        return None, errors
    subgraph = Subgraph(name=name, url=url, federation_version=version)
    SubgraphReader(subgraph, names, errors).read(document)
    return (None if errors else subgraph), errors
