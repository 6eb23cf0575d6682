"""A park's live load through the gateway: the utilities subgraph samples the metering mock's live feed, and a
graphql-ws (npm) client receives the total and each meter's load with the enterprise names from the registry.

Another city's user cannot subscribe to the park: the subscription ends at once with a ``FORBIDDEN`` error
(from the utilities subgraph, which checks the park against the signed tenant), and an unknown park is
``NOT_FOUND``. Runs the registry and metering mocks, both subgraphs and the gateway with the auth plugin on
free loopback ports; the metering mock's clock moves five minutes per feed request, so loads are real.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import websockets

from adapters.utilities.units import unit_factor
from auth.identity import IdentitySigner
from auth.verify import TokenVerifier
from gateway.http import create_app
from gateway.plugins.auth import AuthPlugin
from gateway.subscriptions import SubscriptionServer
from gateway.supergraph import load_supergraph
from mocks.data.province import Province, generate
from mocks.data.utilities import MeterRecord, meters
from mocks.registry.app import create_app as registry_mock
from mocks.utilities.app import create_app as utilities_mock
from parkgraph import sdl as stored
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.registry.app import create_app as registry_subgraph
from subgraphs.utilities.app import create_app as utilities_subgraph
from tests.gateway.subscriptions.conftest import ISSUER, _jwks, token
from tests.gateway.subscriptions.test_domain_alerts import CACHE, PACKAGES, SCRIPT
from tests.support.federation import asgi_lifespan, rewrite_subgraph_urls
from tests.support.live_server import live_servers
from tests.support.node_packages import ensure_packages, place_script

IDENTITY_SECRET = "park-live-load-test-identity-key-0123456789"
TODAY = date(2026, 11, 1)
START = datetime(2026, 11, 1, 9, 0, tzinfo=CHINA_STANDARD_TIME)
STEP = timedelta(minutes=5)  # the mock's clock, per feed request
PARK, CITY, OTHER_CITY = "340100-HTZ", "340100", "340200"
QUERY = """subscription Load($park: String!) {
  parkLiveLoad(parkCode: $park) {
    park { code name } city { code }
    totalKw metersReporting metersTotal
    meters { meter { number unit } enterprise { uscc name } kw status }
  }
}"""


@dataclass
class Grid:
    gateway_url: str
    province: Province

    @property
    def ws_url(self) -> str:
        return self.gateway_url.replace("http://", "ws://") + "/graphql"


class _Clock:
    """The metering platform's time: five minutes later on every request, so registers advance between samples."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        self.moment += STEP
        return self.moment


@pytest.fixture
async def grid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Grid]:
    monkeypatch.setenv("PARKGRAPH_IDENTITY_KEY", IDENTITY_SECRET)
    monkeypatch.delenv("PARKGRAPH_INSECURE_DEV_IDENTITY", raising=False)
    province = generate(2026, 0.05)
    metering = utilities_mock(province, drop_dir=tmp_path / "drops", days=2, today=TODAY, clock=_Clock())
    utilities = utilities_subgraph(
        legacy_url="http://metering.test",
        drop_dir=tmp_path / "drops",
        transport=httpx.ASGITransport(app=metering),
        today=lambda: TODAY,
        live_load_interval=0.2,
    )
    verifier = TokenVerifier(
        jwks_url=f"{ISSUER}/jwks.json", issuer=ISSUER, audience="parkgraph", transport=httpx.MockTransport(_jwks)
    )
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(verifier.aclose)
        mocks = await stack.enter_async_context(live_servers({"registry": registry_mock(province)}))
        registry = registry_subgraph(legacy_url=mocks["registry"])
        await stack.enter_async_context(asgi_lifespan(registry, {}))
        await stack.enter_async_context(utilities.router.lifespan_context(utilities))
        served = await stack.enter_async_context(live_servers({"registry": registry, "utilities": utilities}))
        urls = {name: f"{url}/graphql" for name, url in served.items()}
        sdl = rewrite_subgraph_urls(stored.SUPERGRAPH.read_text(encoding="utf-8"), urls)
        plugin = AuthPlugin.for_supergraph(load_supergraph(sdl), verifier, IdentitySigner(IDENTITY_SECRET.encode()))
        server = SubscriptionServer()
        stack.push_async_callback(server.close)
        gateway = create_app(sdl, plugins=[plugin], subscriptions=server)
        gateway_urls = await stack.enter_async_context(live_servers({"gateway": gateway}))
        yield Grid(gateway_urls["gateway"], province)


def _electricity(province: Province, park: str) -> Iterator[MeterRecord]:
    return (m for m in meters(province) if m.park_code == park and m.kind == "电")


@pytest.mark.node
async def test_the_graphql_ws_client_receives_the_parks_live_load_with_registry_names(grid: Grid) -> None:
    folder = await ensure_packages(CACHE, PACKAGES, "the graphql-ws client test")
    script = place_script(SCRIPT, folder)
    node = shutil.which("node")
    assert node is not None
    process = await asyncio.create_subprocess_exec(
        node,
        str(script),
        grid.ws_url,
        token(f"city:{CITY}"),
        QUERY,
        json.dumps({"park": PARK}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        assert orjson.loads(await asyncio.wait_for(process.stdout.readline(), 20)) == {"connected": True}
        samples = [orjson.loads(await asyncio.wait_for(process.stdout.readline(), 20))["next"] for _ in range(2)]
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
    expected = {m.meter_no: m for m in _electricity(grid.province, PARK)}
    for result in samples:
        assert "errors" not in result, result
        load = result["data"]["parkLiveLoad"]
        assert load["park"]["code"] == PARK and load["park"]["name"]  # the park's name from the registry
        assert load["city"] == {"code": CITY}
        assert load["metersTotal"] == len(expected) == len(load["meters"])
        assert {m["meter"]["number"] for m in load["meters"]} == set(expected)
        known = [m for m in load["meters"] if m["kw"] is not None]
        assert known and load["metersReporting"] == len(known)
        assert Decimal(load["totalKw"]) == sum(Decimal(m["kw"]) for m in known)
        for item in load["meters"]:
            record = expected[item["meter"]["number"]]
            assert item["enterprise"]["uscc"] == record.uscc and item["enterprise"]["name"]  # from the registry
            if item["kw"] is None:
                continue
            # The mock's registers advance at the meter's mean daily use; the register has 2 decimals in its
            # stated unit, so over one 5-minute step a rounding step is worth 12 of them per hour.
            _, kwh_per_unit = unit_factor(record.unit)
            tolerance = Decimal("0.02") * 12 * kwh_per_unit
            assert abs(Decimal(item["kw"]) - Decimal(repr(record.daily_base / 24))) <= tolerance, item


async def _subscribe(grid: Grid, tenant: str, park: str) -> dict[str, Any]:
    """The first message after subscribing over graphql-transport-ws (Python client)."""
    async with websockets.connect(grid.ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token(tenant)}"}}
        await ws.send(orjson.dumps(init).decode())
        assert orjson.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": QUERY, "variables": {"park": park}}
        await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode())
        async with asyncio.timeout(20):
            while True:
                message: dict[str, Any] = orjson.loads(await ws.recv())
                if message["type"] != "ping":
                    return message


async def test_another_citys_user_cannot_subscribe_to_the_park(grid: Grid) -> None:
    message = await _subscribe(grid, f"city:{OTHER_CITY}", PARK)
    assert message["type"] == "error" and message["id"] == "1", message  # the subscription ended, with a reason
    (error,) = message["payload"]
    assert error["extensions"]["code"] == "FORBIDDEN" and error["extensions"]["serviceName"] == "utilities"
    assert PARK in error["message"]


async def test_an_unknown_park_is_not_found_and_the_own_city_gets_events(grid: Grid) -> None:
    missing = await _subscribe(grid, "province", "340100-NOPE")
    assert missing["type"] == "error" and missing["payload"][0]["extensions"]["code"] == "NOT_FOUND", missing
    mine = await _subscribe(grid, f"city:{CITY}", PARK)
    assert mine["type"] == "next" and mine["payload"]["data"]["parkLiveLoad"]["park"]["code"] == PARK, mine
