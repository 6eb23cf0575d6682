"""The receiver and the client against the mock's field units over real TCP (port 0), with stream faults."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from adapters.environment import EnvironmentClient
from adapters.environment.codes import Medium
from adapters.environment.models import Reading
from adapters.errors import LegacyUnavailable
from mocks.data.province import generate
from mocks.environment.app import EnvironmentMock
from mocks.environment.faults import StreamFaults
from schema.scalars import CHINA_STANDARD_TIME
from tests.support.waiting import eventually

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)


@dataclass
class Rig:
    client: EnvironmentClient
    mock: EnvironmentMock
    received: list[Reading]

    @property
    def faults(self) -> StreamFaults:
        return self.mock.stream_faults


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    province = generate(2026, 0.05)
    faults = StreamFaults(interval_s=0.05)
    # The mock's registry over ASGI; its units need the receiver's port, so the client starts first.
    holder: dict[str, EnvironmentMock] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await holder["mock"](scope, receive, send)

    client = EnvironmentClient(legacy_url="http://env.test", transport=httpx.ASGITransport(app=app))
    received: list[Reading] = []

    async def listen(readings: list[Reading]) -> None:
        received.extend(readings)

    client.add_listener(listen)
    await client.start()
    mock = EnvironmentMock(
        province, platform=("127.0.0.1", client.receiver.port), stream_faults=faults, clock=lambda: NOW, limit_points=3
    )
    holder["mock"] = mock
    assert mock.fleet is not None
    fleet = asyncio.create_task(mock.fleet.run())
    try:
        yield Rig(client, mock, received)
    finally:
        fleet.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await fleet
        await client.aclose()


async def test_units_connect_and_every_point_reports_its_limits_pollutants(rig: Rig) -> None:
    await eventually(lambda: rig.client.receiver.stats["accepted"] >= 9)
    mns = [p.mn for p in rig.mock.records]
    latest = rig.client.latest(mns)
    for point in rig.mock.records:
        assert {r.pollutant for r in latest[point.mn]} == {limit.code for limit in point.limits}
    points = await rig.client.points_by_mn(mns)
    assert {p.medium for p in points.values()} <= {Medium.WATER, Medium.AIR}
    assert all(p.permit_number.endswith("001P") for p in points.values())
    assert rig.received and rig.received[0].measured_at == NOW


async def test_corrupt_frames_are_counted_by_reason_and_the_stream_goes_on(rig: Rig) -> None:
    await eventually(lambda: rig.client.receiver.stats["accepted"] >= 3)
    rig.faults.update({"corrupt_rate": 0.5})
    await eventually(lambda: len(rig.client.receiver.refused) == 3 and rig.client.receiver.stats["accepted"] >= 40)
    refused = rig.client.receiver.refused
    assert set(refused) == {"bad_crc", "bad_length", "unknown_code"}
    # The links stayed up: the units connected once each.
    assert rig.client.receiver.stats["connections"] == 3
    rig.faults.update({"corrupt_rate": 0})
    before = rig.client.receiver.stats["accepted"]
    await eventually(lambda: rig.client.receiver.stats["accepted"] >= before + 6)
    assert rig.client.receiver.refused == refused  # nothing refused once the fault is off


async def test_reconnect_silence_and_burst(rig: Rig) -> None:
    await eventually(lambda: rig.client.receiver.stats["connections"] == 3)
    rig.faults.update({"reconnect": True})
    await eventually(lambda: rig.client.receiver.stats["connections"] == 6)
    silent = rig.mock.records[0].mn
    rig.faults.update({"silent": [silent]})
    await asyncio.sleep(0.1)
    count = len(rig.client.history(silent, rig.mock.records[0].limits[0].code))
    await asyncio.sleep(0.3)
    assert len(rig.client.history(silent, rig.mock.records[0].limits[0].code)) == count
    rig.faults.update({"silent": ["*"], "interval_s": 60})
    await asyncio.sleep(0.2)
    before = rig.client.receiver.stats["accepted"]
    rig.faults.update({"silent": [], "burst": 5})
    await eventually(lambda: rig.client.receiver.stats["accepted"] >= before + 15, within=3)


async def test_exceed_fault_multiplies_a_points_values(rig: Rig) -> None:
    point = rig.mock.records[0]
    await eventually(lambda: bool(rig.client.latest([point.mn])[point.mn]))
    normal = {r.pollutant: r.value for r in rig.client.latest([point.mn])[point.mn]}
    rig.faults.update({"exceed": {point.mn: 3}})
    await eventually(lambda: rig.client.latest([point.mn])[point.mn][0].value > 2 * normal[point.limits[0].code])


async def test_registry_outage_is_legacy_unavailable() -> None:
    province = generate(2026, 0.05)
    mock = EnvironmentMock(province)
    mock.http.faults.update({"outage": True})
    client = EnvironmentClient(legacy_url="http://env.test", transport=httpx.ASGITransport(app=mock))
    with pytest.raises(LegacyUnavailable):
        await client.points_of(["x"])
    await client.aclose()
