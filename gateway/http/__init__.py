"""The gateway over HTTP: GraphQL over HTTP on ``/graphql``, GraphiQL, ``/health`` and ``/ready``.

:func:`create_app` loads a supergraph SDL and assembles everything;
:func:`build_app` does the same from an already loaded supergraph and planner
(tests use it with stand-ins). Startup errors (an invalid supergraph) raise
``gateway.errors.SupergraphError`` from ``create_app``; nothing raises per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.http.app import GatewayApp, make_app
from gateway.http.endpoint import MAX_BODY_BYTES, GraphQLEndpoint
from gateway.pipeline import Pipeline, Plugin, build_pipeline
from gateway.pipeline.types import PlannerLike, SupergraphLike
from gateway.subgraph.client import SubgraphClient, Transport
from gateway.subscriptions import SubscriptionServer

__all__ = ["GatewayApp", "build_app", "create_app"]


def create_app(
    supergraph_sdl: str,
    *,
    dev_mode: bool = False,
    introspection: bool = True,
    graphiql: bool | None = None,
    plugins: Sequence[Plugin] = (),
    transport: Transport | None = None,
    timeout: float = 30.0,
    max_body_bytes: int = MAX_BODY_BYTES,
    plan_cache_size: int = 1024,
    subscriptions: SubscriptionServer | None = None,
) -> GatewayApp:
    """The gateway for one Apollo supergraph SDL.

    ``graphiql`` defaults to ``introspection`` (GraphiQL is of little use without it);
    ``transport`` replaces the subgraph client's HTTP transport (h1 by default; tests pass fakes).
    """
    from gateway.planner import QueryPlanner
    from gateway.supergraph import load_supergraph

    supergraph = load_supergraph(supergraph_sdl)
    planner = QueryPlanner(supergraph, cache_size=plan_cache_size)
    return build_app(
        supergraph,
        planner,
        dev_mode=dev_mode,
        introspection=introspection,
        graphiql=graphiql,
        plugins=plugins,
        transport=transport,
        timeout=timeout,
        max_body_bytes=max_body_bytes,
        cache_size=plan_cache_size,
        subscriptions=subscriptions,
    )


def build_app(
    supergraph: SupergraphLike,
    planner: PlannerLike,
    *,
    dev_mode: bool = False,
    introspection: bool = True,
    graphiql: bool | None = None,
    plugins: Sequence[Plugin] = (),
    transport: Transport | None = None,
    timeout: float = 30.0,
    max_body_bytes: int = MAX_BODY_BYTES,
    cache_size: int = 1024,
    subscriptions: SubscriptionServer | None = None,
) -> GatewayApp:
    """The gateway for a loaded supergraph and its planner.

    ``subscriptions`` serves WebSocket and SSE subscriptions on ``/graphql``; by default one from the
    environment (Redis pub/sub between replicas when ``REDIS_URL`` is set, in-process otherwise).
    """
    urls = {name: info.url for name, info in supergraph.subgraphs.items()}
    client = SubgraphClient(urls, transport)
    pipeline: Pipeline = build_pipeline(
        supergraph, planner, client, plugins=plugins, introspection=introspection, cache_size=cache_size
    )
    endpoint = GraphQLEndpoint(
        pipeline.router,
        dev_mode=dev_mode,
        graphiql=introspection if graphiql is None else graphiql,
        timeout=timeout,
        max_body_bytes=max_body_bytes,
    )
    subscriptions = subscriptions if subscriptions is not None else SubscriptionServer.from_env()
    endpoint.subscriptions = subscriptions
    app = make_app(
        endpoint,
        on_shutdown=client.close,
        subscriptions=subscriptions,
    )
    state: Any = app.state
    subscriptions.bind(lambda: state.pipeline)  # read per subscribe: a hot-reloaded supergraph applies to new ones
    app.state.pipeline = pipeline
    app.state.supergraph = supergraph
    return app
