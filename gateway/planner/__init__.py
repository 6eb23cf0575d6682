"""The query planner: a pure function from (supergraph, operation) to a frozen plan, with a cache.

Exports are resolved lazily: the plan model (``gateway.planner.plan``) is also
used by the supergraph loader, which the planner itself imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.planner.build import build_query_plan
    from gateway.planner.cache import QueryPlanner
    from gateway.planner.plan import QueryPlan
    from gateway.planner.printer import print_plan

__all__ = ["QueryPlan", "QueryPlanner", "build_query_plan", "print_plan"]

_HOMES = {
    "QueryPlan": "gateway.planner.plan",
    "QueryPlanner": "gateway.planner.cache",
    "build_query_plan": "gateway.planner.build",
    "print_plan": "gateway.planner.printer",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(name)
