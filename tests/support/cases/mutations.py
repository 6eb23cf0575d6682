"""Mutations in two subgraphs appending to one shared log, so tests see the order they ran in."""

from __future__ import annotations

from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec


def subgraphs() -> list[SubgraphSpec]:
    log: list[dict[str, Any]] = []  # fresh per test

    def add(service: str) -> Any:
        def resolve(_source: Any, _info: Any, text: str) -> dict[str, Any]:
            entry = {"seq": len(log) + 1, "service": service, "text": text}
            log.append(entry)
            return entry

        return resolve

    def bump(_source: Any, _info: Any) -> int:
        log.append({"seq": len(log) + 1, "service": "a", "text": "bump"})
        return len(log)

    return [
        SubgraphSpec(
            "a",
            case_sdl("mutations", "a"),
            resolvers={"Query": {"entries": lambda _s, _i: log}, "Mutation": {"addA": add("a"), "bumpA": bump}},
        ),
        SubgraphSpec("b", case_sdl("mutations", "b"), resolvers={"Mutation": {"addB": add("b")}}),
    ]
