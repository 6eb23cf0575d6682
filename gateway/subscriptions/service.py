"""From a subscribe request to a stream of client payloads: authenticate, authorize, plan, join the hub.

:class:`SubscriptionService` is what both transports call. It reads the
current pipeline on each subscribe (a hot-reloaded supergraph applies to new
subscriptions; running ones keep the generation they started on), reuses its
document cache, planner and plugin-wrapped subgraph layer, and the auth
plugin when one is installed: its verifier for the token, its authorizer for
fields, its signer for the identity the upstream connection carries.
Queries and mutations sent over a subscription transport run through the
ordinary pipeline and give one result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import OperationType
from graphql.execution.values import get_variable_values

from auth.identity import IDENTITY_HEADER, InvalidTenant, Tenant, parse_tenant
from gateway.context import RequestContext
from gateway.errors import GatewayError, graphql_error
from gateway.pipeline import Pipeline
from gateway.pipeline.documents import RequestFailed
from gateway.pipeline.types import RouterRequest, RouterResponse, SupergraphRequest
from gateway.planner.plan import Subscription
from gateway.plugins.auth import AuthPlugin, identity_of
from gateway.subscriptions.events import Audience, EventResolver
from gateway.subscriptions.hub import Hub, Membership, Sink, UpstreamKey
from gateway.subscriptions.tenancy import TenantCheck, augment

logger = logging.getLogger(__name__)

Errors = list[dict[str, Any]]


@dataclass(slots=True)
class SubscribeRequest:
    query: str
    operation_name: str | None
    variables: dict[str, Any]
    context: RequestContext  # authenticated: claims and tenant filled


@dataclass(slots=True)
class Single:
    """A query or mutation over a subscription transport: its one result."""

    payload: bytes


class SubscriptionService:
    """Opens subscriptions against the gateway's current pipeline."""

    def __init__(self, pipeline_of: Callable[[], Pipeline], hub: Hub, *, timeout: float = 30.0) -> None:
        self.pipeline_of = pipeline_of
        self.hub = hub
        self.timeout = timeout

    async def authenticate(self, headers: Mapping[str, str], context: RequestContext) -> dict[str, Any] | None:
        """None when the caller is accepted (``context`` now carries the claims); else the error to send.

        Through the auth plugin's own router hook, so tokens are judged exactly as over HTTP.
        """
        auth = _auth_plugin(self.pipeline_of())
        if auth is None or "authorization" not in headers:
            return None
        accept = _Accept()
        response = await auth.router_service(accept)(RouterRequest("POST", headers, "", b"", context))
        if accept.reached:
            return None
        errors = orjson.loads(response.body).get("errors") or [graphql_error("Unauthenticated.", "UNAUTHENTICATED")]
        error: dict[str, Any] = errors[0]
        return error

    async def open(self, request: SubscribeRequest, sink: Sink) -> Membership | Single | Errors:
        """Joins the subscription (events go to ``sink``), or the one result of a query, or the request's errors."""
        pipeline = self.pipeline_of()
        layer = pipeline.supergraph_layer
        context = request.context
        auth = _auth_plugin(pipeline)
        query, decision = request.query, None
        if auth is not None:
            decision = auth.authorizer.decide(query, request.operation_name, auth.authorizer.caller(context.claims))
            if decision is not None:
                denials = [d for d in decision.denials if len(d.steps) == 1]  # the root field itself
                refused = [graphql_error(d.message, d.code, [d.steps[0].key]) for d in denials]
                if refused:
                    return refused
                query = decision.query
        try:
            original = layer.documents.prepare(request.query, request.operation_name)
        except RequestFailed as exc:
            return [dict(error) for error in exc.errors]
        except GatewayError as exc:
            return [exc.to_graphql()]
        if original.program.operation.operation != OperationType.SUBSCRIPTION:
            return await self._single(pipeline, request)
        tenancy: TenantCheck | None = None
        if auth is not None:
            tenant = _tenant(context)
            if tenant is None:
                return [graphql_error("Subscriptions need an access token with a tenant.", "UNAUTHENTICATED")]
            if tenant.kind != "province":
                augmented = augment(query, request.operation_name, layer.supergraph.api_schema, tenant)
                if augmented is None:
                    message = "This subscription's events cannot be matched to a tenant; only the province sees them."
                    return [graphql_error(message, "FORBIDDEN")]
                query, tenancy = augmented
        try:
            prepared = layer.documents.prepare(query, request.operation_name)
            variables = _coerce(layer.supergraph.api_schema, prepared.program.operation, request.variables)
            plan = layer.planner.plan(prepared.document, request.operation_name)
        except RequestFailed as exc:
            return [dict(error) for error in exc.errors]
        except GatewayError as exc:
            return [exc.to_graphql()]
        node = plan.node
        if not isinstance(node, Subscription):
            return [graphql_error("The subscription selects no field a subgraph serves.", "BAD_REQUEST")]
        primary = node.primary
        used = {name: variables[name] for name in primary.variable_usages if name in variables}
        scopes = " ".join(sorted(str((context.claims or {}).get("scope") or "").split()))
        purpose = context.headers.get("x-purpose") or None
        key = UpstreamKey(
            service=primary.service_name,
            url=layer.supergraph.subgraphs[primary.service_name].url,
            operation=primary.operation,
            operation_name=primary.operation_name,
            variables=orjson.dumps(used, option=orjson.OPT_SORT_KEYS).decode(),
            tenant=context.tenant,
            scopes=scopes,
            purpose=purpose,
        )
        subject = (context.claims or {}).get("sub") if purpose else None  # unmasked reads are audited per person
        audience_key = (query, request.operation_name, orjson.dumps(variables, option=orjson.OPT_SORT_KEYS), subject)
        audience = Audience(
            prepared=prepared,
            plan=plan,
            variables=variables,
            service_name=primary.service_name,
            headers=context.headers,
            claims=context.claims,
            tenant=context.tenant,
            tenancy=tenancy,
            authorizer=auth.authorizer if auth is not None else None,
            decision=decision,
            timeout=self.timeout,
        )

        def resolver() -> EventResolver:
            return EventResolver(audience, pipeline.subgraphs, layer.supergraph)

        def headers_for() -> dict[str, str]:
            # The shared upstream speaks for everyone with this key: same tenant, scopes and purpose.
            headers = dict(context.trace_headers)
            if auth is not None:
                headers[IDENTITY_HEADER] = auth.signer.sign(identity_of(context), primary.service_name)
            return headers

        return await self.hub.join(key, audience_key, resolver, sink, headers_for)

    async def leave(self, membership: Membership) -> None:
        await self.hub.leave(membership)

    async def _single(self, pipeline: Pipeline, request: SubscribeRequest) -> Single:
        response = await pipeline.supergraph(
            SupergraphRequest(request.query, request.operation_name, request.variables, {}, request.context)
        )
        body: dict[str, Any] = {}
        if not response.request_failed:
            body["data"] = response.data
        if response.errors:
            body["errors"] = response.errors
        if response.extensions:
            body["extensions"] = response.extensions
        return Single(orjson.dumps(body))


class _Accept:
    """The innermost router service while authenticating: reached only if the token was accepted."""

    def __init__(self) -> None:
        self.reached = False

    async def __call__(self, request: RouterRequest) -> RouterResponse:
        self.reached = True
        return RouterResponse(200, b"")


def _auth_plugin(pipeline: Pipeline) -> AuthPlugin | None:
    return next((plugin for plugin in pipeline.plugins if isinstance(plugin, AuthPlugin)), None)


def _tenant(context: RequestContext) -> Tenant | None:
    if not context.tenant:
        return None
    try:
        return parse_tenant(context.tenant)
    except InvalidTenant:
        return None


def _coerce(schema: Any, operation: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    if not operation.variable_definitions:
        return {}
    result = get_variable_values(schema, operation.variable_definitions, inputs, max_errors=50)
    if isinstance(result, list):
        errors = [{"message": e.message, "extensions": {"code": "BAD_USER_INPUT"}} for e in result]
        raise RequestFailed(errors, "BAD_USER_INPUT")  # type: ignore[arg-type]
    coerced: dict[str, Any] = result.coerced
    return coerced


__all__ = ["Single", "SubscribeRequest", "SubscriptionService"]
