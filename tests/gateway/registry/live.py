"""A live registry for tests: SQLite store, Redis notifier on a channel of its own, real token verification.

Tokens are ES256 access tokens (RFC 9068, as the auth server issues them)
signed with a key made per test; the registry verifies them with
``auth.verify.TokenVerifier``, whose JWKS fetch goes to an in-memory transport.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from auth.verify import TokenVerifier
from gateway.registry.api import create_registry_app
from gateway.registry.notify import NullNotifier, RedisNotifier
from gateway.registry.service import SchemaRegistry
from gateway.registry.store import RegistryStore
from tests.support.live_server import live_server
from tests.support.redis import redis_url

ISSUER = "http://auth.test"
AUDIENCE = "parkgraph"


class TokenMint:
    """Signs access tokens with a fresh key; :meth:`verifier` checks them against its JWKS."""

    def __init__(self) -> None:
        self.key = ECKey.generate_key("P-256", parameters={"kid": uuid.uuid4().hex[:8]})

    def token(self, client_id: str, tenant: str, scope: str = "registry:write") -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": client_id,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "jti": uuid.uuid4().hex,
            "client_id": client_id,
            "scope": scope,
            "tenant": tenant,
        }
        header = {"typ": "at+jwt", "alg": "ES256", "kid": self.key.kid}
        return jwt.encode(header, claims, self.key, algorithms=["ES256"])

    def headers(self, client_id: str, tenant: str, scope: str = "registry:write") -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(client_id, tenant, scope)}"}

    def verifier(self) -> TokenVerifier:
        jwks = {"keys": [self.key.as_dict(private=False)]}
        transport = httpx.MockTransport(lambda _request: httpx.Response(200, json=jwks))
        return TokenVerifier(jwks_url=f"{ISSUER}/jwks.json", issuer=ISSUER, audience=AUDIENCE, transport=transport)


@dataclass
class LiveRegistry:
    url: str
    registry: SchemaRegistry
    store: RegistryStore
    mint: TokenMint
    channel: str


def unique_channel() -> str:
    return f"parkgraph-test:{uuid.uuid4().hex[:12]}:supergraph"


@asynccontextmanager
async def live_registry(folder: Path, *, channel: str | None = None, redis: bool = True) -> AsyncIterator[LiveRegistry]:
    """The registry API served on a free port, announcing versions on ``channel`` (Redis) when ``redis``."""
    channel = channel or unique_channel()
    store = await RegistryStore.open(f"sqlite:///{folder / f'registry-{uuid.uuid4().hex[:6]}.db'}")
    notifier = RedisNotifier(redis_url(), channel) if redis else NullNotifier()
    registry = SchemaRegistry(store, notifier)
    mint = TokenMint()
    verifier = mint.verifier()
    app = create_registry_app(registry, verifier)
    try:
        async with live_server(app) as url:
            yield LiveRegistry(url, registry, store, mint, channel)
    finally:
        await verifier.aclose()
        await notifier.close()
        await store.close()
