"""A ``@shareable`` root field and value type, identical in both subgraphs (no ``@join__field``)."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

SHOP = {"name": "Hefei Store", "city": "Hefei"}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "a",
            case_sdl("shareable", "a"),
            resolvers={"Query": {"shop": lambda _s, _i: SHOP, "onlyA": lambda _s, _i: "from a"}},
        ),
        SubgraphSpec(
            "b",
            case_sdl("shareable", "b"),
            resolvers={"Query": {"shop": lambda _s, _i: SHOP, "onlyB": lambda _s, _i: "from b"}},
        ),
    ]
