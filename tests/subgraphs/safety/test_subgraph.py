"""The safety subgraph over the mock's sensors and embedded broker: batching, the alert board, the subscription."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from starlette.applications import Starlette

from adapters.safety import SafetyClient
from mocks.data.province import generate
from mocks.safety.app import SafetyMock
from mocks.safety.broker import Broker
from mocks.safety.sensors import SensorFaults
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.store import AlertStore
from subgraphs.safety.app import create_app
from subgraphs.safety.context import SafetyContext
from subgraphs.safety.schema import build_schema
from tests.support.live_server import live_server
from tests.support.waiting import eventually

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)


@dataclass
class Stack:
    app: Starlette
    client: SafetyClient
    store: AlertStore
    monitor: AlertMonitor
    mock: SafetyMock

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        context = SafetyContext(client=self.client, monitor=self.monitor)
        return await build_schema().execute(query, variables, context_value=context)


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    broker = Broker()
    await broker.start()
    province = generate(2026, 0.05)
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
    app = create_app(legacy_url="", alerts_url="", client=client, store=store, clock=lambda: NOW)
    assert mock.publisher is not None
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(client.connected.wait(), 5)
        publisher = asyncio.create_task(mock.publisher.run())
        try:
            yield Stack(app, client, store, app.state.monitor, mock)
        finally:
            publisher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await publisher
    await broker.stop()


async def test_sensors_of_many_enterprises_cost_one_registry_call(stack: Stack) -> None:
    await eventually(lambda: stack.client.stats["messages"] >= 8)
    usccs = sorted({s.uscc for s in stack.mock.records})
    stack.client.calls.clear()
    stack.store.queries = 0
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Enterprise {
        uscc safetySensors { code kind alarmValue latestReading { value aboveAlarm } } openAlerts { id }
      }
    } }"""
    result = await stack.execute(query, {"r": [{"__typename": "Enterprise", "uscc": u} for u in usccs]})
    assert result.errors is None
    sensors = result.data["_entities"][0]["safetySensors"]
    assert [s["kind"] for s in sensors] == ["GAS", "PRESSURE", "TEMPERATURE", "LEVEL"]
    assert all(s["latestReading"] and not s["latestReading"]["aboveAlarm"] for s in sensors)
    assert stack.client.calls["sensors_of"] == 1 and stack.store.queries == 1


async def test_subscription_delivers_the_alert_when_a_sensor_crosses_its_alarm_value(stack: Stack) -> None:
    gas = stack.mock.records[0]
    async with live_server(stack.app) as url:
        ws_url = url.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            query = """subscription($city: String) {
              safetyAlertRaised(cityCode: $city) { id domain level rule metric monitoringPoint enterprise { uscc } }
            }"""
            payload = {"query": query, "variables": {"city": gas.city_code}}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            await eventually(lambda: stack.monitor.subscribers == 1)
            # Normal gas runs at 20 % of its alarm value: ×10 is twice the alarm value.
            stack.mock.sensor_faults.update({"exceed": {gas.code: 10}})
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert message["type"] == "next", message
            alert = message["payload"]["data"]["safetyAlertRaised"]
            assert (alert["domain"], alert["rule"], alert["level"]) == ("SAFETY", "THRESHOLD", "RED")
            assert alert["monitoringPoint"] == gas.code and alert["enterprise"]["uscc"] == gas.uscc
    board = await stack.execute(
        'query($c: ID!) { _entities(representations: [{__typename: "City", code: $c}]) '
        "{ ... on City { alertBoard { id domain level } } } }",
        {"c": gas.city_code},
    )
    assert board.errors is None
    assert alert["id"] in {a["id"] for a in board.data["_entities"][0]["alertBoard"]}
