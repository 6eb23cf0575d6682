"""The logistics subgraph as an ASGI app: ``create_app(legacy_url=...)``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from adapters.logistics.client import LogisticsClient
from auth.identity import IdentityVerifier
from subgraphs.common import IdempotencyStore, create_subgraph_app
from subgraphs.logistics.context import LogisticsContext
from subgraphs.logistics.schema import build_schema


def create_app(
    *,
    legacy_url: str,
    transport: httpx.AsyncBaseTransport | None = None,
    client: LogisticsClient | None = None,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """Serves the logistics subgraph over the platform at ``legacy_url`` (or the given ``client``)."""
    logistics = client or LogisticsClient(legacy_url, transport=transport)
    bookings = IdempotencyStore()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await logistics.aclose()

    def context(request: Request) -> LogisticsContext:
        return LogisticsContext(request=request, client=logistics, bookings=bookings)

    return create_subgraph_app(
        build_schema(), name="logistics", context_factory=context, lifespan=lifespan, identity=identity
    )
