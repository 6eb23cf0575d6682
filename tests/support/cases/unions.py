"""A union whose members differ between subgraphs: ``Book | Movie`` in a, ``Book | Song`` in b."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

TITLES = {"b1": "Three-Body Problem", "m1": "Hero"}
PAGES = {"b1": 302}
ARTISTS = {"s1": "Faye Wong"}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "a",
            case_sdl("unions", "a"),
            resolvers={
                "Query": {
                    "search": lambda _s, _i: [
                        {"__typename": "Book", "id": "b1", "title": TITLES["b1"]},
                        {"__typename": "Movie", "id": "m1", "title": TITLES["m1"]},
                    ]
                }
            },
            references={"Book": lambda ref: {**ref, "title": TITLES.get(ref["id"])}},
        ),
        SubgraphSpec(
            "b",
            case_sdl("unions", "b"),
            resolvers={
                "Query": {
                    "recommended": lambda _s, _i: [
                        {"__typename": "Song", "id": "s1", "artist": ARTISTS["s1"]},
                        {"__typename": "Book", "id": "b1", "pages": PAGES["b1"]},
                    ]
                }
            },
            references={"Book": lambda ref: {**ref, "pages": PAGES.get(ref["id"])}},
        ),
    ]
