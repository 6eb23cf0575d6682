"""Keys: compound (``sku country``), several per type, nested (``id org { id }``), ``resolvable: false``."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

PRODUCTS = [
    {"id": "p1", "sku": "TEA", "country": "CN", "name": "Green tea"},
    {"id": "p2", "sku": "TEA", "country": "JP", "name": "Sencha"},
]
PRICES = {("TEA", "CN"): 30, ("TEA", "JP"): 45}
QUANTITIES = {"p1": 120, "p2": 0}
# Account ids repeat across orgs: only (id, org) identifies an account.
ACCOUNTS = [
    {"id": "1", "org": {"id": "o1"}, "handle": "li.wei"},
    {"id": "1", "org": {"id": "o2"}, "handle": "wang.fang"},
]
BIOS = {("1", "o1"): "Park planner", ("1", "o2"): "Customs broker"}
ORGS = {"o1": "Hefei High-tech Zone", "o2": "Wuhu Economic Zone"}


def _price(ref: dict[str, Any]) -> dict[str, Any] | None:
    price = PRICES.get((ref["sku"], ref["country"]))
    return None if price is None else {**ref, "price": price}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "catalog",
            case_sdl("keys", "catalog"),
            resolvers={"Query": {"products": lambda _s, _i: PRODUCTS, "accounts": lambda _s, _i: ACCOUNTS}},
        ),
        SubgraphSpec("pricing", case_sdl("keys", "pricing"), references={"Product": _price}),
        SubgraphSpec(
            "stock",
            case_sdl("keys", "stock"),
            references={"Product": lambda ref: {**ref, "quantity": QUANTITIES.get(ref["id"])}},
        ),
        SubgraphSpec(
            "profiles",
            case_sdl("keys", "profiles"),
            references={"Account": lambda ref: {**ref, "bio": BIOS.get((ref["id"], ref["org"]["id"]))}},
        ),
        SubgraphSpec(
            "orgs",
            case_sdl("keys", "orgs"),
            references={"Org": lambda ref: {**ref, "name": ORGS[ref["id"]]} if ref["id"] in ORGS else None},
        ),
    ]
