"""The real thing: a mock hazard sensor crosses its alarm value, and the alert reaches a graphql-ws (npm) client
and an SSE client through the gateway, with the enterprise's name from the registry subgraph.

Runs the registry mock and subgraph, the safety mock (embedded MQTT broker) and subgraph, and the gateway with
the auth plugin, all on free loopback ports. The ``graphql-ws`` and ``ws`` npm packages are installed at test
time into a cache folder outside the repository (``~/.cache/parkgraph-graphql-ws``); without Node.js the
WebSocket test is skipped, or fails when ``PARKGRAPH_REQUIRE_SERVICES`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from adapters.safety import SafetyClient
from auth.identity import IdentitySigner
from auth.verify import TokenVerifier
from gateway.http import create_app
from gateway.plugins.auth import AuthPlugin
from gateway.subscriptions import SubscriptionServer
from gateway.supergraph import load_supergraph
from mocks.data.province import generate
from mocks.registry.app import create_app as registry_mock
from mocks.safety.app import SafetyMock
from mocks.safety.broker import Broker
from mocks.safety.sensors import SensorFaults
from parkgraph import sdl as stored
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.store import AlertStore
from subgraphs.registry.app import create_app as registry_subgraph
from subgraphs.safety.app import create_app as safety_subgraph
from tests.gateway.subscriptions.conftest import ISSUER, _jwks, token
from tests.support.federation import asgi_lifespan, rewrite_subgraph_urls
from tests.support.live_server import live_servers
from tests.support.node_packages import ensure_packages, place_script
from tests.support.waiting import eventually

IDENTITY_SECRET = "domain-alerts-test-identity-key-0123456789"
NOW = datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)
GRAPHQL_WS_VERSION = "6.0.6"
WS_VERSION = "8.18.3"
GRAPHQL_JS_VERSION = "16.15.0"
CACHE = Path(os.environ.get("PARKGRAPH_GRAPHQL_WS_CACHE", Path.home() / ".cache" / "parkgraph-graphql-ws"))
SCRIPT = Path(__file__).with_name("graphql_ws_client.mjs")
PACKAGES = {"graphql-ws": GRAPHQL_WS_VERSION, "ws": WS_VERSION, "graphql": GRAPHQL_JS_VERSION}
QUERY = """subscription Alerts($city: String) {
  safetyAlertRaised(cityCode: $city) { id level rule monitoringPoint enterprise { uscc name } park { code name } }
}"""


@dataclass
class Domain:
    gateway_url: str
    mock: SafetyMock
    server: SubscriptionServer
    monitor: Any


@pytest.fixture
async def domain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Domain]:
    # One shared secret: the gateway signs identities with it, the subgraphs verify them.
    monkeypatch.setenv("PARKGRAPH_IDENTITY_KEY", IDENTITY_SECRET)
    monkeypatch.delenv("PARKGRAPH_INSECURE_DEV_IDENTITY", raising=False)
    province = generate(2026, 0.05)
    broker = Broker()
    await broker.start()
    mock = SafetyMock(
        province,
        broker=("127.0.0.1", broker.port),
        sensor_faults=SensorFaults(interval_s=0.05),
        clock=lambda: NOW,
        limit_sensors=8,
    )
    client = SafetyClient(
        legacy_url="http://safety.test", broker_port=broker.port, transport=httpx.ASGITransport(app=mock)
    )
    store = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}")
    safety = safety_subgraph(legacy_url="", alerts_url="", client=client, store=store, clock=lambda: NOW)
    verifier = TokenVerifier(
        jwks_url=f"{ISSUER}/jwks.json", issuer=ISSUER, audience="parkgraph", transport=httpx.MockTransport(_jwks)
    )
    assert mock.publisher is not None
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(broker.stop)
        stack.push_async_callback(verifier.aclose)
        mocks = await stack.enter_async_context(live_servers({"registry": registry_mock(province)}))
        registry = registry_subgraph(legacy_url=mocks["registry"])
        await stack.enter_async_context(asgi_lifespan(registry, {}))
        await stack.enter_async_context(safety.router.lifespan_context(safety))
        await asyncio.wait_for(client.connected.wait(), 5)
        publisher = asyncio.create_task(mock.publisher.run())
        stack.callback(publisher.cancel)
        served = await stack.enter_async_context(live_servers({"registry": registry, "safety": safety}))
        urls = {name: f"{url}/graphql" for name, url in served.items()}
        sdl = rewrite_subgraph_urls(stored.SUPERGRAPH.read_text(encoding="utf-8"), urls)
        plugin = AuthPlugin.for_supergraph(load_supergraph(sdl), verifier, IdentitySigner(IDENTITY_SECRET.encode()))
        server = SubscriptionServer()
        stack.push_async_callback(server.close)
        gateway = create_app(sdl, plugins=[plugin], subscriptions=server)
        gateway_urls = await stack.enter_async_context(live_servers({"gateway": gateway}))
        yield Domain(gateway_urls["gateway"], mock, server, safety.state.monitor)


@pytest.mark.node
async def test_the_graphql_ws_client_receives_the_alert_with_registry_fields(domain: Domain) -> None:
    folder = await ensure_packages(CACHE, PACKAGES, "the graphql-ws client test")
    script = place_script(SCRIPT, folder)
    gas = domain.mock.records[0]
    ws_url = domain.gateway_url.replace("http://", "ws://") + "/graphql"
    node = shutil.which("node")
    assert node is not None
    process = await asyncio.create_subprocess_exec(
        node,
        str(script),
        ws_url,
        token(f"city:{gas.city_code}"),
        QUERY,
        json.dumps({"city": gas.city_code}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first = orjson.loads(await asyncio.wait_for(process.stdout.readline(), 20))
        assert first == {"connected": True}
        await eventually(lambda: domain.monitor.subscribers == 1, within=10)
        domain.mock.sensor_faults.update({"exceed": {gas.code: 10}})  # twice the alarm value
        line = await asyncio.wait_for(process.stdout.readline(), 20)
        result = orjson.loads(line)["next"]
        assert "errors" not in result, result
        alert = result["data"]["safetyAlertRaised"]
        assert (alert["rule"], alert["level"], alert["monitoringPoint"]) == ("THRESHOLD", "RED", gas.code)
        assert alert["enterprise"]["uscc"] == gas.uscc and alert["enterprise"]["name"]  # from the registry
        assert alert["park"]["name"]
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


async def test_an_sse_client_receives_the_alert_and_another_city_does_not(domain: Domain) -> None:
    gas = domain.mock.records[0]
    other_city = next(city for city in ("340200", "340300", "340100") if city != gas.city_code)
    body = {"query": QUERY, "variables": {}}
    async with httpx.AsyncClient(base_url=domain.gateway_url, timeout=20) as http:

        def headers(city: str) -> dict[str, str]:
            return {"accept": "text/event-stream", "authorization": f"Bearer {token(f'city:{city}')}"}

        async with (
            http.stream("POST", "/graphql", json=body, headers=headers(gas.city_code)) as mine,
            http.stream("POST", "/graphql", json=body, headers=headers(other_city)) as theirs,
        ):
            assert mine.status_code == 200 and theirs.status_code == 200
            await eventually(lambda: domain.monitor.subscribers == 2, within=10)  # one upstream per tenant
            domain.mock.sensor_faults.update({"exceed": {gas.code: 10}})
            lines = mine.aiter_lines()
            data = None
            async with asyncio.timeout(20):
                async for line in lines:
                    if line.startswith("data: "):
                        data = orjson.loads(line[len("data: ") :])
                        break
            assert data is not None and "errors" not in data, data
            alert = data["data"]["safetyAlertRaised"]
            assert alert["monitoringPoint"] == gas.code and alert["enterprise"]["name"]
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(1.0):
                    async for line in theirs.aiter_lines():
                        if line.startswith("data: "):
                            raise AssertionError(f"another city received {line}")
