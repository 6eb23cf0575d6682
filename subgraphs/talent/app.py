"""``create_app``: the talent subgraph served over the talent database at ``database``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request

from adapters.talent import TalentClient
from adapters.talent.client import DEFAULT_SCHEMA
from auth.identity import IdentityVerifier
from subgraphs.common import IdempotencyStore, create_subgraph_app
from subgraphs.talent.context import TalentContext
from subgraphs.talent.schema import SCHEMA


def create_app(
    database: str | AsyncEngine,
    *,
    schema: str | None = DEFAULT_SCHEMA,
    timeout: float = 5.0,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """The subgraph app over a database URL (or engine); ``schema`` is the PostgreSQL schema of the legacy tables."""
    client = TalentClient(database, schema=schema, timeout=timeout)
    idempotency = IdempotencyStore()

    def context(request: Request) -> TalentContext:
        return TalentContext(request=request, client=client, idempotency=idempotency)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    return create_subgraph_app(SCHEMA, name="talent", context_factory=context, lifespan=lifespan, identity=identity)
