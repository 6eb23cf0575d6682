"""The gateway's Starlette application: ``/graphql`` plus ``/health`` and ``/ready``.

``/graphql`` is a plain ASGI callable (:class:`GraphQLEndpoint`). The app
dispatches to it before Starlette's middleware and routing, which the other
routes keep. ``/health`` says the process is alive; ``/ready`` says the
supergraph is loaded and every subgraph answers ``{ __typename }``: the
subgraphs of the supergraph served now (``app.state.supergraph``, through
``app.state.pipeline``), which a hot reload replaces.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.context import RequestContext
from gateway.http.endpoint import GraphQLEndpoint
from gateway.subgraph.types import SubgraphError, SubgraphRequest, SubgraphService

if TYPE_CHECKING:
    from gateway.subscriptions import SubscriptionServer

READY_TIMEOUT_SECONDS = 2.0


class GatewayApp(Starlette):
    """A Starlette app whose GraphQL path skips the middleware stack and the router.

    WebSocket connections to the GraphQL path go to ``subscriptions`` (graphql-transport-ws) when it is set.
    """

    def __init__(
        self,
        graphql: GraphQLEndpoint,
        *,
        graphql_path: str = "/graphql",
        subscriptions: SubscriptionServer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.graphql = graphql
        self.graphql_path = graphql_path
        self.subscriptions = subscriptions

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == self.graphql_path:
            await self.graphql(scope, receive, send)
            return
        if scope["type"] == "websocket" and scope["path"] == self.graphql_path and self.subscriptions is not None:
            await self.subscriptions.websocket(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def make_app(
    graphql: GraphQLEndpoint,
    *,
    on_shutdown: Callable[[], Any] | None = None,
    subscriptions: SubscriptionServer | None = None,
) -> GatewayApp:
    """The Starlette app around an assembled ``/graphql`` endpoint; set ``state.pipeline`` and ``state.supergraph``."""

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> Response:
        # Read per probe: after a hot reload the app serves another supergraph, maybe with other subgraphs.
        subgraphs: SubgraphService = request.app.state.pipeline.subgraphs
        subgraph_names: Mapping[str, object] = request.app.state.supergraph.subgraphs
        results = await asyncio.gather(*(_probe(subgraphs, name) for name in subgraph_names))
        report = dict(zip(subgraph_names, results, strict=True))
        ok = all(value == "ok" for value in report.values())
        body = {"status": "ready" if ok else "unavailable", "supergraph": "loaded", "subgraphs": report}
        return JSONResponse(body, status_code=200 if ok else 503)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if subscriptions is not None:
                await subscriptions.close()
            if on_shutdown is not None:
                await on_shutdown()

    async def metrics(_request: Request) -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),  # Prometheus text: every OpenTelemetry metric of the process
    ]
    return GatewayApp(graphql, routes=routes, lifespan=lifespan, subscriptions=subscriptions)


async def _probe(subgraphs: SubgraphService, name: str) -> str:
    context = RequestContext.create({}, timeout=READY_TIMEOUT_SECONDS)
    try:
        await subgraphs(SubgraphRequest(name, {"query": "{__typename}"}, context))
    except SubgraphError as exc:
        return exc.message
    return "ok"
