"""The safety client against a real broker: the machine's Mosquitto and the mock's embedded broker.

Each test publishes under its own topic root, so parallel runs on the shared
Mosquitto never see each other's readings.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest

from adapters.safety import SafetyClient
from adapters.safety.models import SensorKind, SensorReading
from mocks.data.province import generate
from mocks.safety.app import SafetyMock
from mocks.safety.broker import Broker, matches
from mocks.safety.sensors import SensorFaults
from schema.scalars import CHINA_STANDARD_TIME
from tests.support.waiting import eventually

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)
MOSQUITTO = os.environ.get("PARKGRAPH_TEST_MQTT", "127.0.0.1:1883")


@contextlib.asynccontextmanager
async def broker(kind: str) -> AsyncIterator[tuple[str, int]]:
    if kind == "mosquitto":
        host, _, port = MOSQUITTO.rpartition(":")
        yield host, int(port)
        return
    embedded = Broker()
    await embedded.start()
    try:
        yield "127.0.0.1", embedded.port
    finally:
        await embedded.stop()


@pytest.mark.parametrize("kind", ["mosquitto", "embedded"])
async def test_readings_arrive_bad_payloads_are_refused_and_the_client_reconnects(kind: str) -> None:
    root = f"test-{uuid.uuid4().hex[:12]}"
    province = generate(2026, 0.05)
    async with broker(kind) as (host, port):
        faults = SensorFaults(interval_s=0.05)
        mock = SafetyMock(
            province, broker=(host, port), sensor_faults=faults, clock=lambda: NOW, limit_sensors=4, root=root
        )
        client = SafetyClient(
            legacy_url="http://safety.test",
            broker_host=host,
            broker_port=port,
            root=root,
            transport=httpx.ASGITransport(app=mock),
        )
        received: list[SensorReading] = []

        async def listen(reading: SensorReading) -> None:
            received.append(reading)

        client.add_listener(listen)
        subscriber = asyncio.create_task(client.run())
        await asyncio.wait_for(client.connected.wait(), 5)
        assert mock.publisher is not None
        publisher = asyncio.create_task(mock.publisher.run())
        try:
            await eventually(lambda: len({r.sensor for r in received}) == 4)
            sensors = await client.sensors_of([mock.records[0].uscc])
            (first, *_) = sensors[mock.records[0].uscc]
            assert first.kind is SensorKind.GAS and first.alarm == 25
            latest = client.latest([first.code])[first.code]
            assert latest is not None and latest.measured_at == NOW and latest.value < first.alarm
            faults.update({"corrupt_rate": 1.0})
            await eventually(lambda: client.stats["refused"] >= 4)
            faults.update({"corrupt_rate": 0.0, "exceed": {first.code: 10}})
            await eventually(lambda: (client.latest([first.code])[first.code] or latest).value > first.alarm)
            # The publisher drops its connection; the readings keep coming after it reconnects.
            faults.update({"reconnect": True})
            await eventually(lambda: mock.publisher is not None and mock.publisher.connects >= 2)
            count = len(received)
            await eventually(lambda: len(received) > count + 4)
        finally:
            publisher.cancel()
            subscriber.cancel()
            for task in (publisher, subscriber):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await client.aclose()


async def test_subscriber_reconnects_when_the_embedded_broker_restarts() -> None:
    embedded = Broker()
    await embedded.start()
    port = embedded.port
    client = SafetyClient(legacy_url="http://safety.test", broker_port=port, root="restart")
    task = asyncio.create_task(client.run(max_backoff=0.2))
    try:
        await asyncio.wait_for(client.connected.wait(), 5)
        await embedded.stop()
        await eventually(lambda: client.stats["disconnects"] >= 1)
        embedded = Broker(port=port)
        await embedded.start()
        await eventually(lambda: client.stats["connects"] >= 2)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await embedded.stop()
        await client.aclose()


@pytest.mark.parametrize(
    ("pattern", "topic", "expected"),
    [
        ("hazard/+/+/+", "hazard/340100/X/S1", True),  # one level each
        ("hazard/+/+/+", "hazard/340100/X", False),  # too short
        ("hazard/#", "hazard/340100/X/S1", True),  # the rest
        ("hazard/340100/+/S1", "hazard/340200/X/S1", False),  # another city
    ],
)
def test_topic_filters(pattern: str, topic: str, expected: bool) -> None:
    assert matches(pattern, topic) is expected
