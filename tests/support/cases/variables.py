"""Variables used inside an entity fetch: ``Product.reviews(first: Int = 2, filter: ReviewFilter)``."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

PRODUCTS = [{"id": "p1", "name": "Teapot"}, {"id": "p2", "name": "Cup"}]
REVIEWS = {
    "p1": [{"body": "Great", "rating": 5}, {"body": "Leaks", "rating": 1}, {"body": "Fine", "rating": 3}],
    "p2": [{"body": "Small", "rating": 2}],
}


def _reviews(product: dict[str, Any], _info: Any, first: int = 2, filter: dict[str, Any] | None = None) -> Any:
    rows = REVIEWS.get(product["id"], [])
    min_rating = (filter or {}).get("minRating")
    if min_rating is not None:
        rows = [r for r in rows if r["rating"] >= min_rating]
    return rows[:first]


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "products", case_sdl("variables", "products"), resolvers={"Query": {"products": lambda _s, _i: PRODUCTS}}
        ),
        SubgraphSpec("reviews", case_sdl("variables", "reviews"), resolvers={"Product": {"reviews": _reviews}}),
    ]
