"""``@override`` without label, with ``percent(0)``, ``percent(100)`` and the custom label ``beta``.

Every overridable field answers ``"<field>@<subgraph>"``, so a test sees which subgraph served it.
"""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

IDS = ("p1", "p2")
FIELDS = ("plain", "never", "always", "beta")


def _product(product_id: str, subgraph: str) -> dict[str, Any]:
    return {"id": product_id, "name": f"Product {product_id}", **{f: f"{f}@{subgraph}" for f in FIELDS}}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "old",
            case_sdl("override", "old"),
            resolvers={"Query": {"products": lambda _s, _i: [_product(i, "old") for i in IDS]}},
            references={"Product": lambda ref: _product(ref["id"], "old")},
        ),
        SubgraphSpec(
            "new", case_sdl("override", "new"), references={"Product": lambda ref: _product(ref["id"], "new")}
        ),
    ]
