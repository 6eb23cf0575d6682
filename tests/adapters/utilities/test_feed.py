from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from adapters.errors import AdapterError, BadData, LegacyTimeout, LegacyUnavailable, Rejected
from adapters.utilities.feed import RealtimeFeed
from adapters.utilities.models import MeterStatus
from mocks.data.province import Province
from mocks.data.utilities import meters
from mocks.utilities.app import create_app
from tests.adapters.utilities.clock import NOW
from tests.support.live_server import live_server


@pytest.fixture
async def feed_url(province: Province) -> AsyncIterator[str]:
    async with live_server(create_app(province, clock=lambda: NOW)) as url:
        yield url


async def _faults(url: str, **faults: object) -> None:
    async with httpx.AsyncClient() as http:
        (await http.put(f"{url}/__admin/faults", json=faults)).raise_for_status()


async def test_readings_are_batched_by_the_feed_limit(feed_url: str, province: Province) -> None:
    numbers = [m.meter_no for m in meters(province)][:250]
    feed = RealtimeFeed(feed_url)
    try:
        readings = await feed.latest(numbers + numbers[:10])  # duplicates cost nothing
    finally:
        await feed.aclose()
    assert feed.calls == 3  # 100 + 100 + 50
    assert set(readings) == set(numbers)
    for reading in readings.values():
        assert reading.read_at.utcoffset() == timedelta(hours=8)
        assert NOW - timedelta(hours=48) <= reading.read_at <= NOW
        assert (reading.register is None) == (reading.status is MeterStatus.OFFLINE)


async def test_units_are_canonical_and_registers_grow(feed_url: str, province: Province) -> None:
    ledger = meters(province)
    mwh = next(m for m in ledger if m.unit == "MWh")
    mj = next(m for m in ledger if m.unit == "MJ")
    feed = RealtimeFeed(feed_url)
    try:
        readings = await feed.latest([mwh.meter_no, mj.meter_no, "0000000000000000"])
    finally:
        await feed.aclose()
    assert "0000000000000000" not in readings  # the feed leaves unknown meters out
    assert readings[mwh.meter_no].unit == "kWh"
    assert readings[mj.meter_no].unit == "GJ"
    electricity = readings[mwh.meter_no].register
    if electricity is not None:  # online: kWh is a thousand times the MWh register, which starts at 1,000
        assert electricity >= Decimal(mwh.initial_register) * 1000


async def test_the_feed_refuses_more_than_its_limit(feed_url: str, province: Province) -> None:
    feed = RealtimeFeed(feed_url, batch_limit=150)  # misconfigured: above the platform's limit
    try:
        with pytest.raises(Rejected) as caught:
            await feed.latest([m.meter_no for m in meters(province)][:150])
    finally:
        await feed.aclose()
    assert caught.value.legacy_code == "40003"


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"outage": True}, LegacyUnavailable),  # every request fails
        ({"error_rate": 1.0, "error_status": 502}, LegacyUnavailable),  # a broken proxy in front
        ({"malformed_rate": 1.0}, BadData),  # half an HTML error page instead of JSON
        ({"latency_ms": 800}, LegacyTimeout),  # slower than the adapter waits
    ],
)
async def test_faults_become_adapter_errors(
    feed_url: str, province: Province, faults: dict[str, object], error: type[AdapterError]
) -> None:
    await _faults(feed_url, **faults)
    feed = RealtimeFeed(feed_url, timeout=0.3)
    try:
        with pytest.raises(error) as caught:
            await feed.latest([meters(province)[0].meter_no])
    finally:
        await feed.aclose()
    assert caught.value.system == "utilities"


async def test_a_refused_connection_is_unavailable() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    feed = RealtimeFeed(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(LegacyUnavailable):
            await feed.latest(["3401000100000001"])
    finally:
        await feed.aclose()


async def test_an_injected_transport_needs_no_network() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.params["meters"] == "1,2"
        rows = [{"mno": "1", "val": "12.5", "unit": "吉焦", "rt": "20261128103000", "st": "2"}]
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok", "rows": rows})

    feed = RealtimeFeed("http://feed", transport=httpx.MockTransport(answer))
    readings = await feed.latest(["1", "2"])
    assert readings["1"].register == Decimal("12.5")
    assert readings["1"].status is MeterStatus.FAULT
    assert readings["1"].read_at == NOW
    assert "2" not in readings
