"""Hefei's investment subgraph as an ASGI app: ``create_app(legacy_url=...)`` serves ``/graphql``.

Like the province's subgraphs, it answers only calls the provincial gateway
signed (``x-parkgraph-identity``, :class:`subgraphs.common.identity.IdentityGate`,
audience ``city_340100_investment``): a city's subgraph is reachable from
outside the gateway, and without the check anyone could read it around the
gateway's authentication. The city gets the signing key
(``PARKGRAPH_IDENTITY_KEY``) from the province when its data centre is
onboarded, with its ``registry:write`` client.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from adapters.hefei_investment import InvestmentClient
from auth.identity import IdentityVerifier
from subgraphs.city_hefei.schema import HefeiContext, build_schema, projects_loader
from subgraphs.common.identity import IdentityGate

SUBGRAPH_NAME = "city_340100_investment"


class _HefeiGraphQL(GraphQL[HefeiContext, None]):
    def __init__(self, client: InvestmentClient) -> None:
        super().__init__(build_schema(), graphql_ide=None)
        self.client = client

    async def get_context(self, request: Any, response: Any) -> HefeiContext:
        return HefeiContext(self.client, projects_loader(self.client))


def create_app(
    *,
    legacy_url: str,
    transport: httpx.AsyncBaseTransport | None = None,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """Serves the subgraph over Hefei's investment-promotion system at ``legacy_url``.

    ``identity`` verifies the gateway's signature; without it ``PARKGRAPH_IDENTITY_KEY`` does (and a missing key
    raises ``auth.identity.MissingIdentityKey`` unless insecure dev mode is asked for, see ``IdentityGate``).
    """
    client = InvestmentClient(legacy_url, transport=transport)
    graphql = _HefeiGraphQL(client)
    gate = IdentityGate(graphql, identity) if identity is not None else IdentityGate.from_env(graphql, SUBGRAPH_NAME)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await client.aclose()

    return Starlette(routes=[Route("/graphql", gate, methods=["GET", "POST"])], lifespan=lifespan)
