"""``create_app``: the approvals subgraph served over the approval platform at ``legacy_url``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from adapters.approvals import ApprovalsClient
from auth.identity import IdentityVerifier
from subgraphs.approvals.context import ApprovalsContext
from subgraphs.approvals.schema import SCHEMA
from subgraphs.common import IdempotencyStore, create_subgraph_app


def create_app(
    legacy_url: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 5.0,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """The subgraph app; one platform client and one idempotency store for all its requests."""
    client = ApprovalsClient(legacy_url, transport=transport, timeout=timeout)
    idempotency = IdempotencyStore()

    def context(request: Request) -> ApprovalsContext:
        return ApprovalsContext(request=request, client=client, idempotency=idempotency)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    return create_subgraph_app(SCHEMA, name="approvals", context_factory=context, lifespan=lifespan, identity=identity)
