"""A Federation 1 subgraph (legacy) next to a Federation 2 one (products)."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

PRODUCTS = [{"id": "p1", "name": "Cable"}, {"id": "p2", "name": "Plug"}]
CODES = {"p1": "OLD-001", "p2": "OLD-002"}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "products",
            case_sdl("fed1", "products"),
            resolvers={"Query": {"products": lambda _s, _i: PRODUCTS}},
            references={"Product": lambda ref: next((p for p in PRODUCTS if p["id"] == ref["id"]), None)},
        ),
        SubgraphSpec(
            "legacy",
            case_sdl("fed1", "legacy"),
            resolvers={"Query": {"legacyProducts": lambda _s, _i: [{"id": "p2", "legacyCode": CODES["p2"]}]}},
            references={"Product": lambda ref: {**ref, "legacyCode": CODES.get(ref["id"])}},
        ),
    ]
