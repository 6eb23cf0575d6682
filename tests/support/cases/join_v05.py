"""join v0.5 without any other linked spec: Federation 2.8 subgraphs and a ``percent(50)`` override."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

PRODUCTS = [{"id": "p1", "name": "Abacus", "price": 12}]


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec("a", case_sdl("join_v05", "a"), resolvers={"Query": {"products": lambda _s, _i: PRODUCTS}}),
        SubgraphSpec(
            "b",
            case_sdl("join_v05", "b"),
            # The same price either way: which subgraph answers is a coin toss per request.
            references={"Product": lambda ref: {**ref, "price": 12, "color": "red"}},
        ),
    ]
