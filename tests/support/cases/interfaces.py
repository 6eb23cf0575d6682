"""An interface whose implementations get more fields from another subgraph."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

ANIMALS = [
    {"__typename": "Dog", "id": "d1", "name": "Rex"},
    {"__typename": "Cat", "id": "c1", "name": "Mimi"},
    {"__typename": "Dog", "id": "d2", "name": "Wangcai"},
]
BARK = {"d1": 7, "d2": 3}
LIVES = {"c1": 9}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec("a", case_sdl("interfaces", "a"), resolvers={"Query": {"animals": lambda _s, _i: ANIMALS}}),
        SubgraphSpec(
            "b",
            case_sdl("interfaces", "b"),
            references={
                "Dog": lambda ref: {**ref, "barkVolume": BARK.get(ref["id"])},
                "Cat": lambda ref: {**ref, "livesLeft": LIVES.get(ref["id"])},
            },
        ),
    ]
