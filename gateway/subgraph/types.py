"""Request, response and failure types of the subgraph layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from gateway.context import RequestContext
from gateway.errors import GatewayError


@dataclass(slots=True)
class SubgraphRequest:
    """One GraphQL operation for one subgraph; plugins may add ``headers`` before it is sent."""

    service_name: str
    body: dict[str, Any]  # {"query": …, "operationName"?: …, "variables"?: …}
    context: RequestContext
    headers: dict[str, str] = field(default_factory=dict)
    operation_kind: str = "query"  # "mutation" is never retried; its timeout is WRITE_OUTCOME_UNKNOWN
    timeout: float | None = None  # this call's own cap (per-subgraph timeout); never past the request's deadline


@dataclass(slots=True)
class SubgraphResponse:
    """A subgraph's GraphQL response, already parsed; ``errors`` as the subgraph sent them."""

    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] | None = None


class SubgraphService(Protocol):
    """The subgraph layer as the executor sees it; raises only :class:`SubgraphError`."""

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse: ...


class SubgraphError(GatewayError):
    """A subgraph call failed as a whole; the fields it should have supplied are lost."""

    code = "SUBGRAPH_UNAVAILABLE"

    def __init__(self, service_name: str, message: str) -> None:
        super().__init__(message)
        self.service_name = service_name


class SubgraphUnavailable(SubgraphError):
    code = "SUBGRAPH_UNAVAILABLE"


class SubgraphInvalidResponse(SubgraphError):
    code = "SUBGRAPH_INVALID_RESPONSE"


class UpstreamTimeout(SubgraphError):
    code = "UPSTREAM_TIMEOUT"


class SubgraphInfoLike(Protocol):
    """A subgraph's name and URL as the supergraph lists them."""

    @property
    def name(self) -> str: ...

    @property
    def url(self) -> str: ...
