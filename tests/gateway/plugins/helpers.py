"""A stand-in for the auth plugin, and gateways with the traffic plugins, for the plugin tests."""

from __future__ import annotations

from typing import Any

import orjson

from gateway.pipeline.types import Plugin, RouterRequest, RouterResponse, RouterService
from gateway.plugins import build_plugins
from gateway.plugins.settings import GatewaySettings, settings_from_dict
from gateway.state import StateStore
from gateway.supergraph import load_supergraph
from tests.support.federation import FederationHarness, GatewayUnderTest, RunningCase


class HeaderIdentity(Plugin):
    """Trusts ``x-test-client`` / ``x-test-tenant`` / ``x-test-scope`` headers as a verified token would be.

    Tests only: the real auth plugin verifies a JWT and fills the same context fields.
    """

    name = "test_identity"

    def router_service(self, service: RouterService) -> RouterService:
        async def identify(request: RouterRequest) -> RouterResponse:
            headers = request.headers
            client = headers.get("x-test-client")
            if client:
                request.context.claims = {"client_id": client, "scope": headers.get("x-test-scope", "")}
                request.context.tenant = headers.get("x-test-tenant")
            return await service(request)

        return identify


async def traffic_gateway(
    federation: FederationHarness,
    case: str | RunningCase,
    store: StateStore,
    settings: dict[str, Any] | GatewaySettings,
) -> GatewayUnderTest:
    """A gateway on ``case`` with :class:`HeaderIdentity` and the traffic plugins for ``settings``."""
    running = case if isinstance(case, RunningCase) else await federation.start(case)
    parsed = settings if isinstance(settings, GatewaySettings) else settings_from_dict(settings)
    plugins = [HeaderIdentity(), *build_plugins(parsed, store, load_supergraph(running.supergraph_sdl))]
    return await federation.gateway(running, plugins=plugins)


def as_client(client: str, tenant: str | None = None, scope: str = "") -> dict[str, str]:
    headers = {"x-test-client": client, "x-test-scope": scope}
    if tenant is not None:
        headers["x-test-tenant"] = tenant
    return headers


def body(response: Any) -> Any:
    return orjson.loads(response.content)
