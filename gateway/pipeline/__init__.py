"""The request pipeline: router → supergraph → execution → subgraph, each an async callable.

:func:`build_pipeline` assembles the layers for one loaded supergraph and
wraps each with the plugins' hooks (the first plugin is the outermost), so
auth, limits, caching and telemetry plug in without touching the planner or
the executor. Layers report request problems as GraphQL errors in their
responses; the only exceptions that escape are bugs, which the HTTP layer turns
into a 500 with an ``INTERNAL_SERVER_ERROR`` error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gateway.pipeline.execution import ExecutionLayer
from gateway.pipeline.router import RouterLayer
from gateway.pipeline.supergraph import SupergraphLayer
from gateway.pipeline.types import (
    ExecutionRequest,
    ExecutionResponse,
    ExecutionService,
    PlannerLike,
    Plugin,
    RouterRequest,
    RouterResponse,
    RouterService,
    SupergraphLike,
    SupergraphRequest,
    SupergraphResponse,
    SupergraphService,
)
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse, SubgraphService

__all__ = [
    "ExecutionRequest",
    "ExecutionResponse",
    "ExecutionService",
    "Pipeline",
    "Plugin",
    "RouterRequest",
    "RouterResponse",
    "RouterService",
    "SupergraphRequest",
    "SupergraphResponse",
    "SupergraphService",
    "build_pipeline",
]


class Pipeline:
    """The assembled layers; ``router`` is the entry point, the others are kept for inspection and tests."""

    def __init__(
        self,
        router: RouterService,
        supergraph: SupergraphService,
        supergraph_layer: SupergraphLayer,
        subgraphs: SubgraphService,
        plugins: Sequence[Plugin] = (),
    ) -> None:
        self.router = router
        self.supergraph = supergraph
        self.supergraph_layer = supergraph_layer
        self.subgraphs = subgraphs  # the subgraph layer with the plugins' wrappers
        self.plugins = tuple(plugins)  # subscriptions find the auth plugin here (gateway.subscriptions)


class SubgraphDispatch:
    """Sends each subgraph request through the (plugin-wrapped) service of its subgraph."""

    def __init__(self, services: Mapping[str, SubgraphService], fallback: SubgraphService) -> None:
        self.services = dict(services)
        self.fallback = fallback

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        return await self.services.get(request.service_name, self.fallback)(request)


def build_pipeline(
    supergraph: SupergraphLike,
    planner: PlannerLike,
    subgraph_client: SubgraphService,
    *,
    plugins: Sequence[Plugin] = (),
    introspection: bool = True,
    cache_size: int = 1024,
) -> Pipeline:
    """Assemble the layers, innermost first, wrapping each with every plugin."""
    subgraphs: SubgraphService = subgraph_client
    if plugins:
        services: dict[str, SubgraphService] = {}
        for name in supergraph.subgraphs:
            service: SubgraphService = subgraph_client
            for plugin in reversed(plugins):
                service = plugin.subgraph_service(name, service)
            services[name] = service
        subgraphs = SubgraphDispatch(services, subgraph_client)

    execution: ExecutionService = ExecutionLayer(subgraphs, supergraph)
    for plugin in reversed(plugins):
        execution = plugin.execution_service(execution)

    layer = SupergraphLayer(supergraph, planner, execution, introspection=introspection, cache_size=cache_size)
    supergraph_service: SupergraphService = layer
    for plugin in reversed(plugins):
        supergraph_service = plugin.supergraph_service(supergraph_service)

    router: RouterService = RouterLayer(supergraph_service)
    for plugin in reversed(plugins):
        router = plugin.router_service(router)
    return Pipeline(router, supergraph_service, layer, subgraphs, plugins)
