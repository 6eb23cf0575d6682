"""Hefei's investment subgraph as an ASGI app: ``create_app(legacy_url=...)`` serves ``/graphql``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from adapters.hefei_investment import InvestmentClient
from subgraphs.city_hefei.schema import HefeiContext, build_schema, projects_loader

SUBGRAPH_NAME = "city_340100_investment"


class _HefeiGraphQL(GraphQL[HefeiContext, None]):
    def __init__(self, client: InvestmentClient) -> None:
        super().__init__(build_schema(), graphql_ide=None)
        self.client = client

    async def get_context(self, request: Any, response: Any) -> HefeiContext:
        return HefeiContext(self.client, projects_loader(self.client))


def create_app(*, legacy_url: str, transport: httpx.AsyncBaseTransport | None = None) -> Starlette:
    """Serves the subgraph over Hefei's investment-promotion system at ``legacy_url``."""
    client = InvestmentClient(legacy_url, transport=transport)
    graphql = _HefeiGraphQL(client)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await client.aclose()

    return Starlette(routes=[Route("/graphql", graphql, methods=["GET", "POST"])], lifespan=lifespan)
