"""The registry subgraph's schema and ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from adapters.registry import RegistryClient
from auth.identity import IdentityVerifier
from subgraphs.common import create_federation_schema, create_subgraph_app
from subgraphs.common.schema import SubgraphSchema
from subgraphs.registry.context import RegistryContext
from subgraphs.registry.query import Query
from subgraphs.registry.types import City, Enterprise, Park

DOMAIN = "registry"


def create_schema() -> SubgraphSchema:
    return create_federation_schema(domain=DOMAIN, query=Query, types=[Enterprise, Park, City], tenancy_guard=False)


def create_app(
    *,
    legacy_url: str | None = None,
    client: RegistryClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 5.0,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """The subgraph over the registry at ``legacy_url`` (or over ``client``, which the caller then closes)."""
    if client is None:
        if legacy_url is None:
            raise ValueError("create_app needs legacy_url or client")
        client = RegistryClient(legacy_url, transport=transport, timeout=timeout)
        owned = True
    else:
        owned = False
    registry = client

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if owned:
            await registry.aclose()

    def context(request: Request) -> RegistryContext:
        return RegistryContext(request=request, client=registry)

    return create_subgraph_app(
        create_schema(), name=DOMAIN, context_factory=context, lifespan=lifespan, identity=identity
    )
