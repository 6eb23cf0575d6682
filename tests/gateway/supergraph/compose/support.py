"""Helpers for composition tests: read a fixture case's subgraphs, compare supergraphs structurally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphql import lexicographic_sort_schema, print_schema

from gateway.supergraph import load_supergraph
from gateway.supergraph.compose import CompositionResult, SubgraphSource, compose

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = ROOT / "tests" / "fixtures" / "supergraphs"


def case_sources(directory: Path) -> list[SubgraphSource]:
    """A case's subgraphs with the URLs Apollo's fixture was composed with (see tests/fixtures/compose.mjs)."""
    files = sorted((directory / "subgraphs").glob("*.graphql"))
    urls_file = directory / "urls.json"
    if urls_file.exists():
        urls: dict[str, str] = json.loads(urls_file.read_text(encoding="utf-8"))
    else:
        urls = {f.stem: f"http://{f.stem}.subgraph.test/graphql" for f in files}
    return [
        SubgraphSource(name, url, (directory / "subgraphs" / f"{name}.graphql").read_text(encoding="utf-8"))
        for name, url in urls.items()
    ]


def compose_sdl(sdls: dict[str, str]) -> CompositionResult:
    """Composes inline subgraphs named by their keys."""
    return compose([SubgraphSource(name, f"http://{name}.test/graphql", sdl) for name, sdl in sdls.items()])


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


def _printed(node: object) -> str | None:
    from graphql import print_ast

    return None if node is None else print_ast(node)  # type: ignore[arg-type]
