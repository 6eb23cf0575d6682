"""``@inaccessible`` fields, type, enum value and key field (``Product.internalId``)."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

PRODUCTS = [
    {"internalId": "int-1", "name": "Solar panel", "color": "GREEN"},
    {"internalId": "int-2", "name": "Prototype cell", "color": "PROTOTYPE"},
]
PRICES = {"int-1": 1200, "int-2": 99999}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "a",
            case_sdl("inaccessible", "a"),
            resolvers={
                "Query": {
                    "products": lambda _s, _i: PRODUCTS,
                    "secret": lambda _s, _i: "top secret",
                    "internal": lambda _s, _i: {"note": "internal"},
                }
            },
        ),
        SubgraphSpec(
            "b",
            case_sdl("inaccessible", "b"),
            references={"Product": lambda ref: {**ref, "price": PRICES.get(ref["internalId"])}},
        ),
    ]
