"""``@requires`` with an argument (``size(unit: "in")``), a list with a null item, and inline fragments."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

PRODUCTS: list[dict[str, Any]] = [
    {
        "id": "p1",
        "name": "Desk",
        "size_cm": 127,
        "weight": 20,
        "reviews": [{"rating": 4}, None, {"rating": 2}],
        "media": {"__typename": "Book", "title": "Desk Manual"},
    },
    {
        "id": "p2",
        "name": "Lamp",
        "size_cm": 254,
        "weight": 2,
        "reviews": [],
        "media": {"__typename": "Movie", "director": "Zhang Yimou"},
    },
    {"id": "p3", "name": "Rug", "size_cm": 0, "weight": 1, "reviews": None, "media": None},
]
BY_ID = {p["id"]: p for p in PRODUCTS}


def _size(product: dict[str, Any], _info: Any, unit: str = "cm") -> int:
    return int(product["size_cm"]) if unit == "cm" else round(product["size_cm"] / 2.54)


def _shipping_estimate(product: dict[str, Any], _info: Any) -> int:
    # Fails loudly when the gateway did not send the required inputs.
    if not isinstance(product.get("size"), int) or not isinstance(product.get("weight"), int):
        raise ValueError(f"shippingEstimate needs size and weight for Product {product['id']}")
    return int(product["size"] * product["weight"])


def _average_rating(product: dict[str, Any], _info: Any) -> float | None:
    if "reviews" not in product:
        raise ValueError(f"averageRating needs reviews for Product {product['id']}")
    ratings = [r["rating"] for r in product["reviews"] or () if r is not None]
    return sum(ratings) / len(ratings) if ratings else None


def _media_summary(product: dict[str, Any], _info: Any) -> str | None:
    if "media" not in product:
        raise ValueError(f"mediaSummary needs media for Product {product['id']}")
    media = product["media"]
    if media is None:
        return None
    return f"book: {media['title']}" if "title" in media else f"movie by {media['director']}"


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "products",
            case_sdl("requires", "products"),
            resolvers={"Query": {"products": lambda _s, _i: PRODUCTS}, "Product": {"size": _size}},
            references={"Product": lambda ref: BY_ID.get(ref["id"])},
        ),
        SubgraphSpec(
            "shipping",
            case_sdl("requires", "shipping"),
            resolvers={
                "Product": {
                    "shippingEstimate": _shipping_estimate,
                    "averageRating": _average_rating,
                    "mediaSummary": _media_summary,
                }
            },
        ),
    ]
