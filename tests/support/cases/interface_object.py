"""``Media`` is an entity interface in media and an ``@interfaceObject`` in ratings."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

MEDIA: dict[str, dict[str, Any]] = {
    "bk1": {"__typename": "Book", "id": "bk1", "title": "Wolf Totem", "author": "Jiang Rong"},
    "mv1": {"__typename": "Movie", "id": "mv1", "title": "Hero", "director": "Zhang Yimou"},
    "bk2": {"__typename": "Book", "id": "bk2", "title": "Fortress Besieged", "author": "Qian Zhongshu"},
}
STARS = {"bk1": 5, "mv1": 4, "bk2": 3}


def _concrete(ref: dict[str, Any]) -> dict[str, Any] | None:
    media = MEDIA.get(ref["id"])
    # A Book representation must not resolve to a Movie and vice versa.
    if media is None or ref["__typename"] not in ("Media", media["__typename"]):
        return None
    return media


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "media",
            case_sdl("interface_object", "media"),
            resolvers={"Query": {"books": lambda _s, _i: [m for m in MEDIA.values() if m["__typename"] == "Book"]}},
            references={"Media": _concrete, "Book": _concrete, "Movie": _concrete},
        ),
        SubgraphSpec(
            "ratings",
            case_sdl("interface_object", "ratings"),
            resolvers={"Query": {"topMedia": lambda _s, _i: [{"id": "mv1", "stars": 4}, {"id": "bk1", "stars": 5}]}},
            references={"Media": lambda ref: {**ref, "stars": STARS.get(ref["id"])}},
        ),
    ]
