"""The social security subgraph as an ASGI app: ``create_app(legacy_url=..., person_key=...)``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from adapters.socialsecurity.client import SocialSecurityClient
from auth.identity import IdentityVerifier
from subgraphs.common import create_subgraph_app
from subgraphs.socialsecurity.context import SocialSecurityContext
from subgraphs.socialsecurity.persons import PersonDirectory
from subgraphs.socialsecurity.schema import build_schema


def create_app(
    *,
    legacy_url: str,
    person_key: bytes,
    transport: httpx.AsyncBaseTransport | None = None,
    client: SocialSecurityClient | None = None,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """Serves the subgraph over the SOAP service at ``legacy_url``; ``person_key`` keys the Person id HMAC."""
    social_security = client or SocialSecurityClient(legacy_url, transport=transport)
    directory = PersonDirectory(person_key)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await social_security.aclose()

    def context(request: Request) -> SocialSecurityContext:
        return SocialSecurityContext(request=request, client=social_security, directory=directory)

    return create_subgraph_app(
        build_schema(), name="socialsecurity", context_factory=context, lifespan=lifespan, identity=identity
    )
