"""Step 2a: upgrades Federation 1 subgraphs to Federation 2 semantics, as Apollo does before merging.

Fed 1 had no ``@shareable``: every field could be resolved by several
subgraphs, so upgraded fields are shareable. Key fields of a type extension
were ``@external`` yet resolvable, so that marking goes; other ``@external``
fields nothing uses are dropped. A type extension stays an extension
(``@join__type(extension: true)``) only if no subgraph defines the type.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.supergraph.compose.model import Kind, Subgraph
from gateway.supergraph.fieldsets import field_names, parse_field_set


def upgrade_fed1(subgraphs: Sequence[Subgraph]) -> None:
    defined = {name for s in subgraphs for name, t in s.types.items() if not t.extension}
    for subgraph in subgraphs:
        if not subgraph.is_fed1:
            continue
        used = _used_by_directives(subgraph)
        for type_def in subgraph.types.values():
            if type_def.kind is not Kind.OBJECT:
                continue
            key_fields = set().union(*(field_names(parse_field_set(k.fields)) for k in type_def.keys))
            if type_def.extension and type_def.name in defined:
                type_def.extension = False
                type_def.keys = [k.__class__(k.fields, k.resolvable, False) for k in type_def.keys]
            for name, field_def in list(type_def.fields.items()):
                if (
                    field_def.external
                    and name in key_fields
                    and (type_def.extension or any(k.extension for k in type_def.keys) or type_def.name in defined)
                ):
                    field_def.external = False
                if field_def.external and (type_def.name, name) not in used and name not in key_fields:
                    del type_def.fields[name]
                    continue
                if not field_def.external:
                    field_def.shareable = True


def _used_by_directives(subgraph: Subgraph) -> set[tuple[str, str]]:
    """(type, field) pairs a @requires or @provides of this subgraph names at its top level."""
    used: set[tuple[str, str]] = set()
    for type_def in subgraph.types.values():
        for field_def in type_def.fields.values():
            if field_def.requires:
                used.update((type_def.name, n) for n in field_names(parse_field_set(field_def.requires)))
            if field_def.provides:
                target = field_def.type.strip("[]!")
                used.update((target, n) for n in field_names(parse_field_set(field_def.provides)))
    return used
