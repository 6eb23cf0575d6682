"""Operation limits per client class: request size, tokens, depth, aliases, root fields and estimated cost.

Checked before the supergraph layer parses, validates or plans anything, so a
hostile document costs the gateway one bounded measurement (remembered per
query text, see :mod:`gateway.plugins.measure`). Each refusal is a GraphQL
error with its own code, the limit and the measured value in its extensions:

=====================  ==========================================
``REQUEST_TOO_LARGE``  body bytes (POST) or query-string bytes (GET), HTTP 413
``MAX_TOKENS_LIMIT``   lexical tokens of the document
``MAX_DEPTH_LIMIT``    field nesting (a root field is depth 1)
``MAX_ALIASES_LIMIT``  aliased fields
``MAX_ROOT_FIELDS_LIMIT``  fields of the root selection set
``QUERY_TOO_COMPLEX``  estimated cost (``@cost``/``@listSize``, see :mod:`gateway.plugins.cost`)
=====================  ==========================================

The batch size is :mod:`gateway.plugins.batching`'s. The caller's class comes
from its token (:mod:`gateway.plugins.callers`): list the auth plugin first.
"""

from __future__ import annotations

import orjson

from gateway.errors import graphql_error
from gateway.pipeline.router import GRAPHQL_RESPONSE_JSON, negotiate
from gateway.pipeline.types import (
    Plugin,
    RouterRequest,
    RouterResponse,
    RouterService,
    SupergraphRequest,
    SupergraphResponse,
    SupergraphService,
)
from gateway.plugins.callers import identify
from gateway.plugins.cost import CostModel
from gateway.plugins.measure import Measured, Measurer
from gateway.plugins.settings import GatewaySettings, OperationLimits


class OperationLimitsPlugin(Plugin):
    """Refuses operations beyond the limits of their caller's class."""

    name = "operation_limits"

    def __init__(self, settings: GatewaySettings, cost_model: CostModel | None = None) -> None:
        self.settings = settings
        classes = list(settings.classes.values())
        token_limits = [c.limits.max_tokens for c in classes]
        cap = None if any(t is None for t in token_limits) or not token_limits else max(t for t in token_limits if t)
        self.measurer = Measurer(cost_model, token_cap=cap)
        self.sizes_limited = any(c.limits.max_request_bytes is not None for c in classes)
        self.operations_limited = any(
            any(v is not None for v in (lim.max_tokens, lim.max_depth, lim.max_aliases, lim.max_root_fields))
            or lim.max_cost is not None
            for lim in (c.limits for c in classes)
        )

    def limits_for(self, request: SupergraphRequest | RouterRequest) -> OperationLimits:
        caller = identify(request.context, self.settings)
        return self.settings.client_class(caller.client_class).limits

    def router_service(self, service: RouterService) -> RouterService:
        if not self.sizes_limited:
            return service

        async def limit_size(request: RouterRequest) -> RouterResponse:
            limit = self.limits_for(request).max_request_bytes
            size = len(request.body) if request.method == "POST" else len(request.query_string)
            if limit is not None and size > limit:
                return _refuse_router(
                    request, f"The request is {size} bytes; the limit is {limit}.", "REQUEST_TOO_LARGE", 413
                )
            return await service(request)

        return limit_size

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        if not self.operations_limited:
            return service

        async def limit_operation(request: SupergraphRequest) -> SupergraphResponse:
            limits = self.limits_for(request)
            error = self.check(request, limits, self.measurer.measure(request.query, request.operation_name))
            if error is not None:
                return SupergraphResponse(errors=[error], request_failed=True)
            return await service(request)

        return limit_operation

    def check(
        self, request: SupergraphRequest, limits: OperationLimits, measured: Measured
    ) -> dict[str, object] | None:
        """The refusal for the first limit ``measured`` exceeds, else None."""
        checks = (
            (limits.max_tokens, measured.tokens, "MAX_TOKENS_LIMIT", "tokens"),
            (limits.max_depth, measured.depth, "MAX_DEPTH_LIMIT", "nesting depth"),
            (limits.max_aliases, measured.aliases, "MAX_ALIASES_LIMIT", "aliases"),
            (limits.max_root_fields, measured.root_fields, "MAX_ROOT_FIELDS_LIMIT", "root fields"),
        )
        for limit, value, code, what in checks:
            if limit is not None and value > limit:
                return graphql_error(
                    f"The operation has {value} {what}; the limit is {limit}.", code, limit=limit, measured=value
                )
        if limits.max_cost is not None and measured.cost is not None:
            cost = measured.cost.estimate(request.variables)
            if cost > limits.max_cost:
                return graphql_error(
                    f"The operation's estimated cost is {cost:g}; the limit is {limits.max_cost}.",
                    "QUERY_TOO_COMPLEX",
                    limit=limits.max_cost,
                    estimatedCost=cost,
                )
        return None


def _refuse_router(request: RouterRequest, message: str, code: str, status: int) -> RouterResponse:
    media_type = negotiate(request.headers.get("accept")) or "application/json"
    content_type = (
        "application/graphql-response+json; charset=utf-8"
        if media_type == GRAPHQL_RESPONSE_JSON
        else "application/json; charset=utf-8"
    )
    body = orjson.dumps({"errors": [graphql_error(message, code)]})
    return RouterResponse(status, body, {"content-type": content_type})
