"""Structural comparison of two supergraphs: the same API schema and the same join metadata, not the same text.

What "composes like Apollo" means in the tests and in ``scripts/compose-supergraph --check-with-apollo``:
two supergraphs agree when the API schema (sorted) is the same and every subgraph's view (keys, fields with
their ``@external``/``@requires``/``@provides``/``@override``, implementations, union members, auth) is too.
"""

from __future__ import annotations

from typing import Any

from graphql import lexicographic_sort_schema, print_ast, print_schema
from graphql.language import Node

from gateway.supergraph import load_supergraph


def structure(sdl: str) -> dict[str, Any]:
    """What must agree between two supergraphs: the API schema and the join metadata per subgraph."""
    supergraph = load_supergraph(sdl)
    return {
        "api": print_schema(lexicographic_sort_schema(supergraph.api_schema)),
        "subgraphs": {name: info.url for name, info in supergraph.subgraphs.items()},
        "types": {
            name: {
                graph: (sorted((k.fields, k.resolvable) for k in t.keys), t.extension, t.is_interface_object)
                for graph, t in by_graph.items()
            }
            for name, by_graph in supergraph.types.items()
        },
        "fields": {
            f"{type_name}.{field_name}": {
                graph: (
                    f.external,
                    f.type,
                    f.override,
                    f.used_overridden,
                    f.override_label,
                    _printed(f.requires),
                    _printed(f.provides),
                )
                for graph, f in by_graph.items()
            }
            for type_name, fields in supergraph.fields.items()
            for field_name, by_graph in fields.items()
        },
        "implements": {g: dict(v) for g, v in supergraph.implements.items()},
        "union_members": {u: dict(v) for u, v in supergraph.union_members.items()},
        "auth": dict(supergraph.auth),
        "labels": supergraph.override_labels,
    }


def differences(ours: str, theirs: str) -> list[str]:
    """Where two supergraphs disagree, one line per differing part (``api``) or entry (``fields Type.field``)."""
    left, right = structure(ours), structure(theirs)
    found: list[str] = []
    for part in left:
        if left[part] == right[part]:
            continue
        if not isinstance(left[part], dict):
            found.append(part)
            continue
        for key in sorted(set(left[part]) | set(right[part])):
            if left[part].get(key) != right[part].get(key):
                found.append(f"{part} {key}")
    return found


def _printed(node: Node | None) -> str | None:
    return None if node is None else print_ast(node)
