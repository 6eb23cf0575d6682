"""The ASGI app factory every subgraph serves: strawberry's GraphQL at ``/graphql`` and ``/health``.

::

    schema = create_federation_schema(domain="registry", query=Query)
    app = create_subgraph_app(schema, name="registry",
                              context_factory=lambda request: RegistryContext(request=request, client=client))

``context_factory`` is called once per request (sync or async) and returns a
:class:`~subgraphs.common.context.SubgraphContext` (or a subclass): that is
what makes DataLoaders per-request. Pass ``lifespan`` to open and close
the adapter's client with the app. A subgraph with a ``Subscription`` root
also passes ``subscription_context_factory`` (called once per WebSocket):
``/graphql`` then speaks graphql-transport-ws too; without it, WebSocket
connections are refused.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Lifespan
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult

from auth.identity import IdentityVerifier, purposes_from_env
from subgraphs.common.audit import AuditLog
from subgraphs.common.audit_reads import AUDIT_UNAVAILABLE, record_reads
from subgraphs.common.context import SubgraphContext
from subgraphs.common.identity import SCOPE_KEY, IdentityGate, disclosure_for
from subgraphs.common.telemetry import DEFAULT_DEADLINE_SECONDS, SubgraphEdge, metrics_endpoint

CONTEXT_KEY = "parkgraph.context"  # the request's context, for the audit after execution
ContextFactory = Callable[[Request], SubgraphContext | Awaitable[SubgraphContext]]
SubscriptionContextFactory = Callable[[WebSocket], SubgraphContext]


class SubgraphGraphQL(GraphQL[SubgraphContext, None]):
    """Strawberry's ASGI GraphQL endpoint with our per-request context."""

    def __init__(
        self,
        schema: BaseSchema,
        context_factory: ContextFactory,
        *,
        graphql_ide: bool = False,
        subscription_context_factory: SubscriptionContextFactory | None = None,
        audit: AuditLog | None = None,
        purposes: Sequence[str] = (),
        domain: str = "",
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphql_ide else None, allow_queries_via_get=True)
        self._context_factory = context_factory
        self._subscription_context_factory = subscription_context_factory
        self._audit = audit
        self._purposes = tuple(purposes)
        self._domain = domain

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> SubgraphContext:
        if not isinstance(request, Request):
            if self._subscription_context_factory is None:
                raise TypeError("this subgraph serves no subscriptions over websockets")
            subscriber = self._subscription_context_factory(request)
            signed = request.scope.get(SCOPE_KEY)
            if signed is not None:  # the subscriber's tenant filters the events (no unmasked data on streams)
                subscriber.identity = signed
                subscriber.tenant = signed.tenant
            return subscriber
        made = self._context_factory(request)
        context = await made if inspect.isawaitable(made) else made
        identity = request.scope.get(SCOPE_KEY)
        if identity is not None:  # a call the gateway signed: its tenant and disclosure, not the trusted default
            context.identity = identity
            context.tenant = identity.tenant
            context.audit = self._audit
            context.personal = disclosure_for(identity, self._purposes, audited=self._audit is not None)
            request.scope[CONTEXT_KEY] = context
        return context

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        context = request.scope.get(CONTEXT_KEY)
        if context is not None and not await record_reads(context, self._domain):
            return AUDIT_UNAVAILABLE  # type: ignore[return-value]
        return response


def create_subgraph_app(
    schema: BaseSchema,
    *,
    name: str,
    context_factory: ContextFactory,
    graphql_ide: bool = False,
    lifespan: Lifespan[Any] | None = None,
    debug: bool = False,
    default_deadline: float | None = DEFAULT_DEADLINE_SECONDS,
    subscription_context_factory: SubscriptionContextFactory | None = None,
    identity: IdentityVerifier | None = None,
    audit: AuditLog | None = None,
    purposes: Sequence[str] | None = None,
) -> Starlette:
    """A Starlette app serving ``schema`` at ``/graphql``, ``/health`` and ``/metrics``.

    Requests to ``/graphql`` pass :class:`~subgraphs.common.telemetry.SubgraphEdge`: the gateway's
    ``x-parkgraph-deadline`` bounds every adapter call (``default_deadline`` seconds without it).
    Then :class:`~subgraphs.common.identity.IdentityGate`: ``identity`` requires the gateway's signature;
    without it the gate follows ``PARKGRAPH_IDENTITY_KEY`` (see there). Unmasked personal data is audited
    in ``audit`` (default: :meth:`AuditLog.from_env`, opened on first write) for the declared ``purposes``
    (default: ``PARKGRAPH_PII_PURPOSES`` or ``auth.identity.DEFAULT_PURPOSES``).
    """
    graphql = SubgraphGraphQL(
        schema,
        context_factory,
        graphql_ide=graphql_ide,
        subscription_context_factory=subscription_context_factory,
        audit=audit if audit is not None else AuditLog.from_env(),
        purposes=purposes if purposes is not None else purposes_from_env(),
        domain=name,
    )
    gate = IdentityGate(graphql, identity) if identity is not None else IdentityGate.from_env(graphql, name)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "subgraph": name})

    routes: list[BaseRoute] = [
        Route("/graphql", gate, methods=["GET", "POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    if subscription_context_factory is not None:
        routes.append(WebSocketRoute("/graphql", gate))
    routes.append(Route("/metrics", metrics_endpoint, methods=["GET"]))
    app = Starlette(debug=debug, routes=routes, lifespan=lifespan)
    # Around the routes: the edge's deadline and span cover the whole GraphQL request.
    app.add_middleware(SubgraphEdge, name=name, default_deadline=default_deadline)
    return app
