"""join v0.5 with ``@context``/``@fromContext`` (``contextArguments``) and a progressive override label."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

CATALOGS = [{"id": "cn", "currency": "CNY", "products": [{"id": "p1"}]}]
NAMES = {"p1": "Abacus"}


def _price(product: dict[str, Any], _info: Any, currency: str | None = None) -> str:
    return f"12.00 {currency or '???'}"


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "a",
            case_sdl("context", "a"),
            resolvers={"Query": {"catalogs": lambda _s, _i: CATALOGS}, "Product": {"price": _price}},
            references={"Product": lambda ref: {**ref, "name": f"{NAMES.get(ref['id'])}@a"}},
        ),
        SubgraphSpec(
            "b",
            case_sdl("context", "b"),
            references={"Product": lambda ref: {**ref, "name": f"{NAMES.get(ref['id'])}@b", "color": "red"}},
        ),
    ]
