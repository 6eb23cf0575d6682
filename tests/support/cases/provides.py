"""``@provides(fields: "name")`` on one root field of inventory, not on the other."""

from __future__ import annotations

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

NAMES = {"p1": "Kettle", "p2": "Teapot", "p3": "Cup"}
PRICES = {"p1": 99, "p2": 158, "p3": 12}
IN_STOCK = {"p1": False, "p2": True, "p3": False}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "products",
            case_sdl("provides", "products"),
            resolvers={"Query": {"product": lambda _s, _i, id: {"id": id, "name": NAMES[id]} if id in NAMES else None}},
            references={"Product": lambda ref: {**ref, "name": NAMES[ref["id"]], "price": PRICES[ref["id"]]}},
        ),
        SubgraphSpec(
            "inventory",
            case_sdl("provides", "inventory"),
            resolvers={
                "Query": {
                    # Provided names come from inventory's own copy.
                    "outOfStockProducts": lambda _s, _i: [
                        {"id": i, "name": NAMES[i], "inStock": False} for i in ("p1", "p3")
                    ],
                    "discontinuedProducts": lambda _s, _i: [{"id": "p2", "inStock": True}],
                }
            },
            references={"Product": lambda ref: {**ref, "inStock": IN_STOCK[ref["id"]]}},
        ),
    ]
