"""The traffic case: enterprises with approvals, parks, a rename mutation; ``@cost``, ``@listSize``, ``@cacheControl``.

:class:`TrafficState` stands for the legacy data behind the subgraphs. Its
``viewer`` is the tenant the subgraphs filter for (a stand-in for the signed
identity the gateway forwards), so a test can show that a cached answer for
one tenant is never served to another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.cases import case_sdl
from tests.support.subgraph_kit import SubgraphSpec


@dataclass
class TrafficState:
    names: dict[str, str] = field(
        default_factory=lambda: {"91340100MA2N0001X1": "Hefei Tea Co", "91340200MA2N0002Y2": "Wuhu Robotics"}
    )
    viewer: str = "province"

    def view(self, uscc: str) -> dict[str, Any] | None:
        name = self.names.get(uscc)
        return None if name is None else {"uscc": uscc, "name": f"{name} (as seen by {self.viewer})"}


def subgraphs(state: TrafficState | None = None) -> list[SubgraphSpec]:
    state = state or TrafficState()

    def enterprises(_source: Any, _info: Any, first: int = 5) -> list[dict[str, Any]]:
        return [e for e in (state.view(uscc) for uscc in list(state.names)[:first]) if e is not None]

    def rename(_source: Any, _info: Any, uscc: str, name: str) -> dict[str, Any] | None:
        if uscc not in state.names:
            return None
        state.names[uscc] = name
        return state.view(uscc)

    def approvals(source: dict[str, Any], _info: Any, first: int = 10) -> list[dict[str, Any]]:
        return [{"id": f"{source['uscc']}-{i}", "title": f"Approval {i}"} for i in range(min(first, 2))]

    return [
        SubgraphSpec(
            "registry",
            case_sdl("traffic", "registry"),
            resolvers={
                "Query": {
                    "enterprises": enterprises,
                    "enterprise": lambda _s, _i, uscc: state.view(uscc),
                    "parks": lambda _s, _i: [{"code": "P1", "name": "Hefei High-tech Zone"}],
                    "search": lambda _s, _i, text: [],
                },
                "Mutation": {"renameEnterprise": rename},
            },
            references={"Enterprise": lambda ref: state.view(ref["uscc"])},
        ),
        SubgraphSpec(
            "approvals",
            case_sdl("traffic", "approvals"),
            resolvers={"Enterprise": {"approvals": approvals, "riskScore": lambda source, _i: len(source["uscc"])}},
        ),
    ]
