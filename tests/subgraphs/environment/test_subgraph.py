"""The environment subgraph: entity batching, alerts from the live stream, mutations, the subscription over WS."""

from __future__ import annotations

import asyncio
import json

import websockets

from mocks.data.province import SHOWCASE_USCC
from tests.subgraphs.environment.conftest import Stack
from tests.support.live_server import live_server
from tests.support.waiting import eventually

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Enterprise {
      uscc
      dischargePoints {
        mn permitNumber limits { pollutant limit } latestReadings { pollutant value flag exceedsLimit }
      }
      openAlerts { id }
    }
  }
}
"""


async def test_entities_of_many_enterprises_cost_one_registry_read_and_one_alert_query(stack: Stack) -> None:
    await eventually(lambda: stack.client.receiver.stats["accepted"] >= 8)
    usccs = [*sorted({p.uscc for p in stack.mock.records}), SHOWCASE_USCC]  # the showcase is no polluter
    stack.client.calls.clear()
    stack.store.queries = 0
    result = await stack.execute(
        ENTITIES, {"representations": [{"__typename": "Enterprise", "uscc": u} for u in usccs]}
    )
    assert result.errors is None
    entities = result.data["_entities"]
    assert [e["uscc"] for e in entities] == usccs
    assert entities[-1]["dischargePoints"] == []
    point = entities[0]["dischargePoints"][0]
    assert point["permitNumber"].startswith(usccs[0]) and point["latestReadings"]
    assert {r["flag"] for r in point["latestReadings"]} == {"NORMAL"}
    assert stack.client.calls["points_of"] == 1
    assert stack.store.queries == 1  # openAlerts of every enterprise in one query


async def test_an_exceedance_raises_an_alert_on_the_boards_and_mutations_are_audited(stack: Stack) -> None:
    point = stack.mock.records[0]
    # Twice its limits: the point runs at `load` of them, with a ±15 % daily swing and ±10 % noise.
    stack.mock.stream_faults.update({"exceed": {point.mn: 2 / point.load}})
    await eventually(lambda: stack.monitor.raised >= 1)
    query = """query($park: ID!, $uscc: USCC!) {
      _entities(representations: [{__typename: "Park", code: $park}, {__typename: "Enterprise", uscc: $uscc}]) {
        ... on Park { alertBoard { id level rule status metric enterprise { uscc } } }
        ... on Enterprise { openAlerts { id } dischargePoints { exceedances { pollutant exceedsLimit } } }
      }
    }"""
    result = await stack.execute(query, {"park": point.park_code, "uscc": point.uscc})
    assert result.errors is None
    board, enterprise = result.data["_entities"]
    alert = board["alertBoard"][0]
    assert (alert["level"], alert["rule"], alert["status"]) == ("RED", "THRESHOLD", "OPEN")
    assert alert["enterprise"]["uscc"] == point.uscc
    assert alert["id"] in {a["id"] for a in enterprise["openAlerts"]}
    assert all(e["exceedsLimit"] for p in enterprise["dischargePoints"] for e in p["exceedances"])
    ack = 'mutation($id: ID!) { acknowledgeAlert(id: $id, by: "值班员王伟") { status history { action actor } } }'
    for _ in range(2):
        acked = await stack.execute(ack, {"id": alert["id"]})
        assert acked.errors is None
    assert [h["action"] for h in acked.data["acknowledgeAlert"]["history"]] == ["RAISED", "ACKNOWLEDGED"]
    close = 'mutation($id: ID!) { closeAlert(id: $id, by: "王伟", resolution: "停产整改") { status } }'
    assert (await stack.execute(close, {"id": alert["id"]})).data["closeAlert"]["status"] == "CLOSED"
    missing = await stack.execute('mutation { closeAlert(id: "ENV-none", by: "王伟", resolution: "x") { id } }')
    assert missing.errors and missing.errors[0].extensions["code"] == "NOT_FOUND"


async def test_malformed_frames_are_counted_while_the_stream_goes_on(stack: Stack) -> None:
    stack.mock.stream_faults.update({"corrupt_rate": 0.5})
    await eventually(lambda: len(stack.client.receiver.refused) == 3)
    result = await stack.execute(
        "{ hj212ReceiverStats { acceptedFrames refusedBadCrc refusedBadLength refusedUnknownCode } }"
    )
    stats = result.data["hj212ReceiverStats"]
    assert stats["acceptedFrames"] > 0 and stats["refusedBadCrc"] > 0 and stats["refusedUnknownCode"] > 0


async def test_subscription_delivers_the_alert_when_a_unit_crosses_its_limit(stack: Stack) -> None:
    point = stack.mock.records[1]
    async with live_server(stack.app) as url:
        ws_url = url.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            subscription = """subscription($park: String) {
              environmentAlertRaised(parkCode: $park) {
                id level rule monitoringPoint enterprise { uscc } park { code }
              }
            }"""
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": subscription, "variables": {"park": point.park_code}},
                    }
                )
            )
            await eventually(lambda: stack.monitor.subscribers == 1)
            stack.mock.stream_faults.update({"exceed": {point.mn: 1.35 / point.load}})
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert message["type"] == "next", message
            alert = message["payload"]["data"]["environmentAlertRaised"]
            assert alert["monitoringPoint"] == point.mn
            assert alert["rule"] == "THRESHOLD" and alert["level"] in ("ORANGE", "RED")
            assert alert["enterprise"]["uscc"] == point.uscc and alert["park"]["code"] == point.park_code
            await ws.send(json.dumps({"id": "1", "type": "complete"}))
    await eventually(lambda: stack.monitor.subscribers == 0)
