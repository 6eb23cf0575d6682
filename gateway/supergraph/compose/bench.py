"""Composition benchmark: ``python -m gateway.supergraph.compose.bench`` (also ``scripts/bench-compose``).

Composes the domain subgraphs (``schema/subgraphs``, target < 1 s) and 50
generated subgraphs of the same size (target < 10 s): the domains copied
into groups whose types and root fields carry a group suffix (``Enterprise_3``,
``registry_3``), so each group federates within itself like the original while
scalars stay shared across all groups. Prints the best of ``--repeat`` runs;
exits 1 if a target is missed or composition fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphql import (
    FieldDefinitionNode,
    NamedTypeNode,
    NameNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

from gateway.supergraph.compose.pipeline import SubgraphSource, compose
from gateway.supergraph.compose.sources import load_folder

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schema"
_ROOTS = frozenset({"Query", "Mutation", "Subscription"})
_KEEP = frozenset({"String", "Int", "Float", "Boolean", "ID"}) | _ROOTS


def domain_sources() -> list[SubgraphSource]:
    return load_folder(SCHEMA_DIR)


def generated_sources(count: int) -> list[SubgraphSource]:
    """``count`` subgraphs: the domains again and again, each group renamed apart."""
    domains = domain_sources()
    scalars = {
        d.name.value
        for source in domains
        for d in parse(source.sdl, no_location=True).definitions
        if isinstance(d, ScalarTypeDefinitionNode)
    }
    return [_renamed(domains[i % len(domains)], i // len(domains), _KEEP | scalars) for i in range(count)]


def _renamed(source: SubgraphSource, group: int, keep: frozenset[str]) -> SubgraphSource:
    suffix = f"_{group}"

    class Rename(Visitor):
        def enter_named_type(self, node: NamedTypeNode, *_: Any) -> NamedTypeNode | None:
            if node.name.value in keep or node.name.value.startswith("_"):
                return None
            return NamedTypeNode(name=NameNode(value=node.name.value + suffix))

        def enter(self, node: Any, *_: Any) -> Any:
            name = getattr(getattr(node, "name", None), "value", "")
            if isinstance(node, TypeDefinitionNode | TypeExtensionNode) and name not in keep and name[:1] != "_":
                attrs = {k: getattr(node, k) for k in node.keys if k != "loc"}
                attrs["name"] = NameNode(value=name + suffix)
                return type(node)(**attrs)
            if isinstance(node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode) and node.name.value in _ROOTS:
                fields = tuple(
                    FieldDefinitionNode(
                        **{k: getattr(f, k) for k in f.keys if k not in ("loc", "name")},
                        name=NameNode(value=f.name.value + ("" if f.name.value.startswith("_") else suffix)),
                    )
                    for f in node.fields or ()
                )
                attrs = {k: getattr(node, k) for k in node.keys if k not in ("loc", "fields")}
                return type(node)(**attrs, fields=fields)
            return None

    document = visit(parse(source.sdl, no_location=True), Rename())
    return SubgraphSource(f"{source.name}{suffix}", source.url, print_ast(document))


def _time(sources: Sequence[SubgraphSource], repeat: int) -> tuple[float, int]:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = compose(sources)
        best = min(best, time.perf_counter() - started)
        if not result.ok:
            for error in result.errors[:10]:
                print(f"  {error}", file=sys.stderr)
            raise SystemExit(f"composition failed ({len(result.errors)} errors)")
    return best, len(result.supergraph_sdl or "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args(argv)
    domains = domain_sources()
    domain_time, domain_size = _time(domains, args.repeat)
    print(f"domain: {len(domains)} subgraphs → {domain_size} bytes in {domain_time * 1000:.0f} ms (target < 1000 ms)")
    generated = generated_sources(args.count)
    lines = sum(s.sdl.count("\n") for s in generated)
    generated_time, generated_size = _time(generated, args.repeat)
    print(
        f"generated: {len(generated)} subgraphs ({lines} SDL lines) → {generated_size} bytes in "
        f"{generated_time * 1000:.0f} ms (target < 10000 ms)"
    )
    return 0 if domain_time < 1.0 and generated_time < 10.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
