"""The fixture subgraphs behind registry gateway tests: the province's enterprises (slow on purpose) and Hefei's."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.gateway.registry.graphs import HEFEI_SDL, REGISTRY_SDL
from tests.support.subgraph_kit import SubgraphSpec

USCC = "91340100MA2N0XYZ1A"
ENTERPRISES = [{"uscc": USCC, "name": "合肥智造有限公司", "status": "ACTIVE"}]
PROJECTS = {USCC: [{"id": "P-1", "name": "新能源汽车零部件基地", "investment": 1.2e9}]}


async def slow_enterprises(_source: Any, _info: Any, first: int = 10) -> list[dict[str, Any]]:
    await asyncio.sleep(0.3)  # long enough that the reload happens while these requests are in flight
    return ENTERPRISES[:first]


def subgraph_specs() -> list[SubgraphSpec]:
    province = SubgraphSpec(
        "registry",
        REGISTRY_SDL,
        resolvers={"Query": {"enterprises": slow_enterprises}},
        references={"Enterprise": lambda rep: next(e for e in ENTERPRISES if e["uscc"] == rep["uscc"])},
    )
    hefei = SubgraphSpec(
        "city_340100_investment",
        HEFEI_SDL,
        resolvers={"Query": {"c340100_projects": lambda _s, _i: [p for ps in PROJECTS.values() for p in ps]}},
        references={"Enterprise": lambda rep: {**rep, "c340100_projects": PROJECTS.get(rep["uscc"], [])}},
    )
    return [province, hefei]
