"""Environment alerts end to end: a mock HJ 212 monitoring unit crosses its permit limit (排污许可), and the alert
reaches a graphql-transport-ws client through the gateway with the enterprise's and park's names from the registry.

Runs the registry mock and subgraph, the environment subgraph (its HJ 212 receiver on a free TCP port, the
point registry of the mock over ASGI), the mock's field units streaming frames to that receiver, and the
gateway with the auth plugin, all on free loopback ports.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import websockets

from adapters.environment import EnvironmentClient
from auth.identity import IdentitySigner
from auth.verify import TokenVerifier
from gateway.http import create_app
from gateway.plugins.auth import AuthPlugin
from gateway.subscriptions import SubscriptionServer
from gateway.supergraph import load_supergraph
from mocks.data.province import generate
from mocks.environment.app import EnvironmentMock
from mocks.environment.faults import StreamFaults
from mocks.registry.app import create_app as registry_mock
from parkgraph import sdl as stored
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.store import AlertStore
from subgraphs.environment.app import create_app as environment_subgraph
from subgraphs.registry.app import create_app as registry_subgraph
from tests.gateway.subscriptions.conftest import ISSUER, _jwks, token
from tests.support.federation import asgi_lifespan, rewrite_subgraph_urls
from tests.support.live_server import live_servers
from tests.support.waiting import eventually

IDENTITY_SECRET = "environment-alerts-test-identity-key-0123456789"
NOW = datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)
QUERY = """subscription Alerts($city: String) {
  environmentAlertRaised(cityCode: $city) {
    id level rule metric monitoringPoint enterprise { uscc name } park { code name }
  }
}"""


@dataclass
class Domain:
    ws_url: str
    units: EnvironmentMock
    monitor: AlertMonitor


@pytest.fixture
async def domain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Domain]:
    monkeypatch.setenv("PARKGRAPH_IDENTITY_KEY", IDENTITY_SECRET)
    monkeypatch.delenv("PARKGRAPH_INSECURE_DEV_IDENTITY", raising=False)
    province = generate(2026, 0.05)
    points = EnvironmentMock(province, limit_points=4)
    client = EnvironmentClient(legacy_url="http://env.test", transport=httpx.ASGITransport(app=points))
    store = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}")
    environment = environment_subgraph(legacy_url="", alerts_url="", client=client, store=store, clock=lambda: NOW)
    verifier = TokenVerifier(
        jwks_url=f"{ISSUER}/jwks.json", issuer=ISSUER, audience="parkgraph", transport=httpx.MockTransport(_jwks)
    )
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(verifier.aclose)
        mocks = await stack.enter_async_context(live_servers({"registry": registry_mock(province)}))
        registry = registry_subgraph(legacy_url=mocks["registry"])
        await stack.enter_async_context(asgi_lifespan(registry, {}))
        await stack.enter_async_context(environment.router.lifespan_context(environment))
        await eventually(lambda: bool(environment.state.rules.points()), within=10)
        units = EnvironmentMock(
            province,
            platform=("127.0.0.1", client.receiver.port),
            stream_faults=StreamFaults(interval_s=0.05),
            clock=lambda: NOW,
            limit_points=4,
        )
        assert units.fleet is not None
        fleet = asyncio.create_task(units.fleet.run())
        stack.callback(fleet.cancel)
        served = await stack.enter_async_context(live_servers({"registry": registry, "environment": environment}))
        urls = {name: f"{url}/graphql" for name, url in served.items()}
        sdl = rewrite_subgraph_urls(stored.SUPERGRAPH.read_text(encoding="utf-8"), urls)
        plugin = AuthPlugin.for_supergraph(load_supergraph(sdl), verifier, IdentitySigner(IDENTITY_SECRET.encode()))
        server = SubscriptionServer()
        stack.push_async_callback(server.close)
        gateway = create_app(sdl, plugins=[plugin], subscriptions=server)
        gateway_urls = await stack.enter_async_context(live_servers({"gateway": gateway}))
        ws_url = gateway_urls["gateway"].replace("http://", "ws://") + "/graphql"
        yield Domain(ws_url, units, environment.state.monitor)


async def _next(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = orjson.loads(await ws.recv())
        if message["type"] == "ping":
            await ws.send('{"type":"pong"}')
            continue
        return message


async def test_a_unit_over_its_permit_limit_raises_an_alert_that_arrives_with_registry_fields(domain: Domain) -> None:
    point = domain.units.records[0]
    async with websockets.connect(domain.ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token(f'city:{point.city_code}')}"}}
        await ws.send(orjson.dumps(init).decode())
        assert (await _next(ws))["type"] == "connection_ack"
        payload = {"query": QUERY, "variables": {"city": point.city_code}}
        await ws.send(orjson.dumps({"id": "env", "type": "subscribe", "payload": payload}).decode())
        await eventually(lambda: domain.monitor.subscribers >= 1, within=10)
        # Twice its permit limits: the unit runs at `load` of them, with a daily swing and noise.
        domain.units.stream_faults.update({"exceed": {point.mn: 2 / point.load}})
        async with asyncio.timeout(20):
            message = await _next(ws)
    assert message["type"] == "next" and message["id"] == "env", message
    assert "errors" not in message["payload"], message
    alert = message["payload"]["data"]["environmentAlertRaised"]
    assert (alert["rule"], alert["monitoringPoint"]) == ("THRESHOLD", point.mn)
    assert alert["level"] in {"ORANGE", "RED"}  # twice the limit
    assert alert["metric"] in {limit.code for limit in point.limits}
    assert alert["enterprise"]["uscc"] == point.uscc and alert["enterprise"]["name"]  # from the registry
    assert alert["park"]["code"] == point.park_code and alert["park"]["name"]  # from the registry
