"""The request and response types of each pipeline layer, the layer protocols, and the plugin base.

Layers, outermost first (style.md "pipeline as layers")::

    router      RouterRequest      -> RouterResponse       GraphQL over HTTP: media types, status codes
    supergraph  SupergraphRequest  -> SupergraphResponse   parse, validate, pick operation, variables, plan
    execution   ExecutionRequest   -> ExecutionResponse    run the plan, shape the response
    subgraph    SubgraphRequest    -> SubgraphResponse     one call to one subgraph (gateway.subgraph)

Each layer is an async callable; a :class:`Plugin` may wrap any of them and
passes them through unchanged by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import DocumentNode, GraphQLSchema

from gateway.context import RequestContext
from gateway.executor.shape import ShapeProgram
from gateway.planner.plan import QueryPlan
from gateway.subgraph.types import SubgraphInfoLike, SubgraphService


@dataclass(slots=True)
class RouterRequest:
    """An HTTP request to ``/graphql``, already read (header names in lower case)."""

    method: str
    headers: Mapping[str, str]
    query_string: str
    body: bytes
    context: RequestContext


@dataclass(slots=True)
class RouterResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SupergraphRequest:
    """One GraphQL request as the client sent it (its parameters already type-checked)."""

    query: str
    operation_name: str | None
    variables: dict[str, Any]
    extensions: dict[str, Any]
    context: RequestContext
    mutations_allowed: bool = True  # False over GET: mutations must not run from a safe method


@dataclass(slots=True)
class SupergraphResponse:
    """A GraphQL response; ``request_failed`` means the operation never ran (no ``data`` entry)."""

    data: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    request_failed: bool = False
    http_status: int | None = None  # forces a status (405 for a mutation over GET, 500 for a planner failure)


@dataclass(slots=True)
class PreparedOperation:
    """A parsed, validated operation with its shaping program; cached by query text and operation name."""

    document: DocumentNode
    operation_name: str | None
    program: ShapeProgram
    plans: dict[frozenset[str], QueryPlan] = field(default_factory=dict)  # by active override labels


@dataclass(slots=True)
class ExecutionRequest:
    prepared: PreparedOperation
    plan: QueryPlan
    variables: dict[str, Any]  # coerced, defaults applied
    context: RequestContext


@dataclass(slots=True)
class ExecutionResponse:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)


class RouterService(Protocol):
    async def __call__(self, request: RouterRequest) -> RouterResponse: ...


class SupergraphService(Protocol):
    async def __call__(self, request: SupergraphRequest) -> SupergraphResponse: ...


class ExecutionService(Protocol):
    async def __call__(self, request: ExecutionRequest) -> ExecutionResponse: ...


class SupergraphLike(Protocol):
    """What the pipeline reads from a loaded supergraph (gateway.supergraph.Supergraph)."""

    @property
    def api_schema(self) -> GraphQLSchema: ...

    @property
    def subgraphs(self) -> Mapping[str, SubgraphInfoLike]: ...

    def possible_runtime_types(self, type_name: str) -> frozenset[str]: ...


class PlannerLike(Protocol):
    """What the pipeline needs from the query planner (gateway.planner.QueryPlanner)."""

    def plan(
        self, document: DocumentNode, operation_name: str | None, *, override_labels: frozenset[str] = ...
    ) -> QueryPlan: ...


class Plugin:
    """Wraps pipeline layers; every hook returns its layer unchanged unless a plugin overrides it."""

    name = "plugin"

    def router_service(self, service: RouterService) -> RouterService:
        return service

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        return service

    def execution_service(self, service: ExecutionService) -> ExecutionService:
        return service

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        """Wraps the calls to subgraph ``name``."""
        return service
