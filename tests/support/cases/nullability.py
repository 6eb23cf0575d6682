"""``Book.code`` is ``String!`` in a and ``String`` in b; a's ``Car.code`` is ``String``."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

ITEMS = [
    {"__typename": "Book", "id": "b1", "code": "ISBN-7-5366"},
    {"__typename": "Car", "id": "c1", "code": None},
    {"__typename": "Car", "id": "c2", "code": "WA-88"},
]
TITLES = {"b1": "Ball Lightning"}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec("a", case_sdl("nullability", "a"), resolvers={"Query": {"items": lambda _s, _i: ITEMS}}),
        SubgraphSpec(
            "b",
            case_sdl("nullability", "b"),
            resolvers={
                "Query": {"book": lambda _s, _i, id: {"id": id, "code": None, "title": TITLES.get(id)}},
            },
            references={"Book": lambda ref: {**ref, "title": TITLES.get(ref["id"])}},
        ),
    ]
