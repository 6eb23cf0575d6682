"""Errors and nulls: a null list item, an entity that is not found, one whose resolver fails, a failing root field."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec

P1 = {"id": "1", "name": "Drill"}
P2 = {"id": "2", "name": "Saw"}
P3 = {"id": "3", "name": "Hammer"}
DETAILS = {"1": {"stock": 10, "label": "D-1"}, "2": {"stock": 4, "label": "S-2"}}  # none for 3


def _must_work(_source: Any, _info: Any) -> str:
    raise ValueError("mustWork is broken")


def _details(ref: dict[str, Any]) -> dict[str, Any] | None:
    if ref["id"] == "2":
        raise ValueError("details for product 2 are locked")
    details = DETAILS.get(ref["id"])
    return None if details is None else {**ref, **details}


def subgraphs() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "products",
            case_sdl("errors", "products"),
            resolvers={
                "Query": {
                    "products": lambda _s, _i: [P1, None, P3],
                    "topProducts": lambda _s, _i: [P1, P2],
                    "mustWork": _must_work,
                    "maybe": lambda _s, _i: "fine",
                }
            },
        ),
        SubgraphSpec("details", case_sdl("errors", "details"), references={"Product": _details}),
    ]
