"""A gateway with the auth plugin in front of the stand-in alerts/registry subgraph, served on a free port."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
import websockets
from joserfc import jwt
from joserfc.jwk import ECKey

from auth.identity import IdentitySigner
from auth.verify import TokenVerifier
from gateway.http import create_app
from gateway.plugins.auth import AuthPlugin
from gateway.subscriptions import SubscriptionServer, SubscriptionSettings
from gateway.subscriptions.broker import Broker
from gateway.supergraph import load_supergraph
from tests.support.live_server import live_server
from tests.support.subscription_subgraph import FakeAlertSubgraph, supergraph

ISSUER = "http://auth.test"
KEY = ECKey.generate_key("P-256", parameters={"kid": "k1"})
IDENTITY_KEY = b"subscription-test-identity-key-0123456789"
HEFEI, WUHU = "340100", "340200"


def token(tenant: str = f"city:{HEFEI}", scope: str = "graph:read", **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "staff",
        "aud": "parkgraph",
        "iat": now,
        "exp": now + 600,
        "jti": "j1",
        "client_id": "demo-frontend",
        "scope": scope,
        "tenant": tenant,
        **overrides,
    }
    return jwt.encode({"alg": "ES256", "typ": "at+jwt", "kid": "k1"}, claims, KEY, algorithms=["ES256"])


def _jwks(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"keys": [{**KEY.as_dict(private=False), "kid": "k1"}]})


@dataclass
class Served:
    url: str  # the gateway's base URL
    subgraph: FakeAlertSubgraph
    server: SubscriptionServer

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    @asynccontextmanager
    async def client(self, bearer: str | None = None) -> AsyncIterator[Any]:
        """A graphql-transport-ws connection, initialised (with ``bearer`` in the init payload)."""
        async with websockets.connect(self.ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
            payload = {"Authorization": f"Bearer {bearer}"} if bearer else {}
            await ws.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
            ack = orjson.loads(await ws.recv())
            assert ack["type"] == "connection_ack", ack
            yield ws


GatewayFactory = Callable[..., Any]


@asynccontextmanager
async def serve_gateway(
    subgraph: FakeAlertSubgraph,
    *,
    settings: SubscriptionSettings | None = None,
    broker: Broker | None = None,
    subgraph_url: str | None = None,
) -> AsyncIterator[Served]:
    """The gateway in front of ``subgraph`` (served here unless ``subgraph_url`` says where it already is)."""
    if subgraph_url is None:
        async with (
            live_server(subgraph.app) as url,
            serve_gateway(subgraph, settings=settings, broker=broker, subgraph_url=url) as served,
        ):
            yield served
        return
    sdl = supergraph(f"{subgraph_url}/graphql", f"{subgraph_url}/graphql")
    verifier = TokenVerifier(
        jwks_url=f"{ISSUER}/jwks.json", issuer=ISSUER, audience="parkgraph", transport=httpx.MockTransport(_jwks)
    )
    plugin = AuthPlugin.for_supergraph(
        load_supergraph(sdl), verifier, IdentitySigner(IDENTITY_KEY), public={"Query.alertCount"}
    )
    server = SubscriptionServer(broker, settings=settings or SubscriptionSettings(init_timeout=1.0))
    app = create_app(sdl, plugins=[plugin], subscriptions=server)
    try:
        async with live_server(app) as url:
            yield Served(url, subgraph, server)
    finally:
        await server.close()
        await verifier.aclose()


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    async with serve_gateway(FakeAlertSubgraph()) as running:
        yield running
