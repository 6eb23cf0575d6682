"""One event, made into what one audience receives: the rest of the plan, shaping, tenancy, authorization.

The subgraph's event is the primary fetch's result; the plan's ``rest``
fetches the fields other subgraphs own (an alert's enterprise name and
contact from the registry) with the audience's identity, exactly as a query
plan continues after its root fetch. Then the client's operation shapes the
tree, the tenant check drops events that are not the caller's, and the
authorizer puts back the nulls and errors of the fields it removed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.context import RequestContext
from gateway.executor import TypeOracle, execute_plan
from gateway.pipeline.types import PreparedOperation
from gateway.planner.plan import QueryPlan
from gateway.plugins.authorization import Authorizer, Decision
from gateway.subgraph.types import SubgraphService
from gateway.subscriptions.tenancy import TenantCheck


@dataclass(frozen=True, slots=True)
class Audience:
    """Who receives an event, and how it is resolved for them."""

    prepared: PreparedOperation
    plan: QueryPlan
    variables: Mapping[str, Any]
    service_name: str  # the subgraph whose events these are
    headers: Mapping[str, str]  # the first subscriber's headers (X-Purpose travels in them)
    claims: Mapping[str, Any] | None
    tenant: str | None
    tenancy: TenantCheck | None
    authorizer: Authorizer | None
    decision: Decision | None
    timeout: float


class EventResolver:
    """``raw upstream payload -> client payload`` (JSON bytes), or None when the event is not the audience's."""

    def __init__(self, audience: Audience, subgraphs: SubgraphService, types: TypeOracle) -> None:
        self.audience = audience
        self.subgraphs = subgraphs
        self.types = types

    async def __call__(self, raw: bytes) -> bytes | None:
        audience = self.audience
        payload = orjson.loads(raw)  # a copy of its own: merging and shaping write into it
        data = payload.get("data")
        errors: list[dict[str, Any]] = [
            _from_subgraph(error, audience.service_name) for error in payload.get("errors") or () if type(error) is dict
        ]
        if type(data) is not dict:
            # Nothing to match to a tenant: only a caller who sees everything gets the bare errors.
            if audience.tenancy is not None or not errors:
                return None
            return orjson.dumps({"data": None, "errors": errors})
        context = RequestContext(
            request_id=uuid.uuid4().hex,
            headers=audience.headers,
            deadline=time.monotonic() + audience.timeout,
            claims=audience.claims,
            tenant=audience.tenant,
        )
        executed = await execute_plan(
            audience.plan,
            variables=audience.variables,
            context=context,
            subgraphs=self.subgraphs,
            types=self.types,
            data=data,
        )
        errors.extend(executed.errors)
        shaped = audience.prepared.program.shape(executed.data, dict(audience.variables), errors, executed.explained)
        tenancy = audience.tenancy
        if tenancy is not None:
            if not tenancy.permits(shaped):
                return None
            tenancy.strip(shaped)
            errors = [error for error in errors if not tenancy.hides(error)]
        if audience.decision is not None and audience.authorizer is not None:
            shaped = audience.authorizer.apply(audience.decision, shaped, errors)
        body: dict[str, Any] = {"data": shaped}
        if errors:
            body["errors"] = errors
        if context.extensions:
            body["extensions"] = context.extensions
        return orjson.dumps(body)


def _from_subgraph(error: dict[str, Any], service_name: str) -> dict[str, Any]:
    extensions = error.get("extensions")
    extensions = dict(extensions) if isinstance(extensions, dict) else {}
    extensions.setdefault("code", "DOWNSTREAM_SERVICE_ERROR")
    extensions["serviceName"] = service_name
    result: dict[str, Any] = {"message": str(error.get("message", ""))}
    if isinstance(error.get("path"), list):
        result["path"] = error["path"]
    result["extensions"] = extensions
    return result
