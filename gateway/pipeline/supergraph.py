"""The supergraph layer: from a GraphQL request to a planned, executed and shaped response.

Parse and validate (cached by query text), pick the operation, coerce the
variables per spec against the API schema, plan (cached), then hand over to the
execution layer. Request errors come back as a response with
``request_failed`` set, never as exceptions, so the router can pick the status.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import OperationDefinitionNode, OperationType
from graphql.execution.values import get_variable_values

from gateway.errors import GatewayError, PlanningError
from gateway.pipeline.documents import DocumentCache, RequestFailed
from gateway.pipeline.types import (
    ExecutionRequest,
    ExecutionService,
    PlannerLike,
    PreparedOperation,
    SupergraphLike,
    SupergraphRequest,
    SupergraphResponse,
)
from gateway.planner.plan import QueryPlan
from gateway.planner.printer import print_plan

logger = logging.getLogger(__name__)

PLAN_HEADER = "x-parkgraph-plan"


class SupergraphLayer:
    """``SupergraphRequest -> SupergraphResponse`` for one loaded supergraph."""

    def __init__(
        self,
        supergraph: SupergraphLike,
        planner: PlannerLike,
        execution: ExecutionService,
        *,
        introspection: bool = True,
        cache_size: int = 1024,
    ) -> None:
        self.supergraph = supergraph
        self.planner = planner
        self.execution = execution
        self.documents = DocumentCache(supergraph.api_schema, introspection=introspection, size=cache_size)

    async def __call__(self, request: SupergraphRequest) -> SupergraphResponse:
        try:
            prepared = self.documents.prepare(request.query, request.operation_name, request.context.tracer)
        except RequestFailed as exc:
            return SupergraphResponse(errors=list(exc.errors), request_failed=True)
        except GatewayError as exc:
            return SupergraphResponse(errors=[exc.to_graphql()], request_failed=True)
        operation = prepared.program.operation
        refused = _refuse(operation, request)
        if refused is not None:
            return refused
        variables = self._coerce_variables(operation, request.variables)
        if isinstance(variables, SupergraphResponse):
            return variables
        try:
            with request.context.span("graphql.plan"):
                plan = self._plan(prepared, request.context.override_labels)
        except PlanningError as exc:
            logger.exception("planning failed for operation %s", request.operation_name)
            return SupergraphResponse(errors=[exc.to_graphql()], request_failed=True, http_status=500)
        executed = await self.execution(ExecutionRequest(prepared, plan, variables, request.context))
        response = SupergraphResponse(executed.data, executed.errors, request.context.extensions)
        context = request.context
        if context.dev_mode and context.headers.get(PLAN_HEADER) == "true":
            response.extensions = {**response.extensions, "queryPlan": print_plan(plan)}
        return response

    def _plan(self, prepared: PreparedOperation, labels: frozenset[str]) -> QueryPlan:
        # The planner owns the real (bounded) plan cache; this per-operation memo only skips its key computation.
        plan = prepared.plans.get(labels)
        if plan is None:
            plan = self.planner.plan(prepared.document, prepared.operation_name, override_labels=labels)
            prepared.plans[labels] = plan
        return plan

    def _coerce_variables(
        self, operation: OperationDefinitionNode, inputs: dict[str, Any]
    ) -> dict[str, Any] | SupergraphResponse:
        if not operation.variable_definitions:
            return {}
        result = get_variable_values(self.supergraph.api_schema, operation.variable_definitions, inputs, max_errors=50)
        if isinstance(result, list):
            errors = [{"message": e.message, "extensions": {"code": "BAD_USER_INPUT"}} for e in result]
            return SupergraphResponse(errors=errors, request_failed=True)
        coerced: dict[str, Any] = result.coerced
        return coerced


def _refuse(operation: OperationDefinitionNode, request: SupergraphRequest) -> SupergraphResponse | None:
    kind = operation.operation
    if kind == OperationType.MUTATION and not request.mutations_allowed:
        error = {"message": "Mutations cannot be sent with GET; use POST.", "extensions": {"code": "BAD_REQUEST"}}
        return SupergraphResponse(errors=[error], request_failed=True, http_status=405)
    if kind == OperationType.SUBSCRIPTION:
        error = {
            "message": "Subscriptions need a stream: a WebSocket (graphql-transport-ws) or Accept: text/event-stream.",
            "extensions": {"code": "BAD_REQUEST"},
        }
        return SupergraphResponse(errors=[error], request_failed=True)
    return None
