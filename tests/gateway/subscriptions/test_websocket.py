"""Subscriptions through the gateway over graphql-transport-ws, against a stand-in alerts/registry subgraph.

Events are completed with the registry's fields, one upstream serves every client of a key, a city sees only
its own alerts, the protocol's close codes, and what a restarting subgraph and a slow client lead to.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import orjson
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from auth.identity import IdentityVerifier
from gateway.subscriptions import RetryPolicy, SubscriptionSettings
from tests.gateway.subscriptions.conftest import HEFEI, IDENTITY_KEY, WUHU, Served, serve_gateway, token
from tests.support.live_server import live_server
from tests.support.subscription_subgraph import FakeAlertSubgraph, alert
from tests.support.waiting import eventually

QUERY = "subscription($level: String) { alertRaised(level: $level) { id level enterprise { uscc name } } }"
HEFEI_USCC = "91340100MA2TEST01X"
WUHU_USCC = "91340200MA2TEST02X"


def hefei_alert(number: int) -> dict[str, Any]:
    return alert(number, HEFEI, f"{HEFEI}-HTZ", HEFEI_USCC)


def wuhu_alert(number: int) -> dict[str, Any]:
    return alert(number, WUHU, f"{WUHU}-HTZ", WUHU_USCC)


async def subscribe(ws: Any, subscription_id: str = "1", query: str = QUERY, **variables: Any) -> None:
    payload = {"query": query, "variables": variables}
    await ws.send(orjson.dumps({"id": subscription_id, "type": "subscribe", "payload": payload}).decode())


async def receive(ws: Any, within: float = 5.0) -> dict[str, Any]:
    message: dict[str, Any] = orjson.loads(await asyncio.wait_for(ws.recv(), within))
    return message


async def nothing_within(ws: Any, seconds: float) -> bool:
    try:
        await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return True
    return False


async def test_an_event_arrives_with_the_registry_fields_and_one_upstream_serves_every_client(served: Served) -> None:
    async with served.client(token()) as first, served.client(token()) as second:
        await subscribe(first, level="RED")
        await subscribe(second, level="RED")
        await eventually(lambda: served.server.hub.subscribers() == 2 and len(served.subgraph.subscriptions) == 1)
        served.subgraph.names[HEFEI_USCC] = "合肥智园"
        await served.subgraph.emit(hefei_alert(1))
        for ws in (first, second):
            message = await receive(ws)
            event = {"id": "A1", "level": "RED", "enterprise": {"uscc": HEFEI_USCC, "name": "合肥智园"}}
            assert message == {"id": "1", "type": "next", "payload": {"data": {"alertRaised": event}}}
    # One upstream connection for both clients, one registry fetch per event for the two (same audience).
    assert served.subgraph.connections == 1 and served.subgraph.entity_calls == 1
    identity = IdentityVerifier(IDENTITY_KEY, audience="alerts").verify(
        served.subgraph.handshake_headers[0]["x-parkgraph-identity"]
    )
    assert str(identity.tenant) == f"city:{HEFEI}"


async def test_a_city_receives_only_its_own_parks_alerts(served: Served) -> None:
    async with served.client(token(f"city:{HEFEI}")) as hefei, served.client(token(f"city:{WUHU}")) as wuhu:
        await subscribe(hefei)
        await subscribe(wuhu)
        # Different tenants: one upstream each (the signed identity differs).
        await eventually(lambda: len(served.subgraph.subscriptions) == 2)
        await served.subgraph.emit(wuhu_alert(1))
        await served.subgraph.emit(hefei_alert(2))
        assert (await receive(hefei))["payload"]["data"]["alertRaised"]["id"] == "A2"
        assert (await receive(wuhu))["payload"]["data"]["alertRaised"]["id"] == "A1"
        assert await nothing_within(hefei, 0.3) and await nothing_within(wuhu, 0.3)
        # The tenancy fields the gateway added are not in what the client sees.
        async with served.client(token("province")) as province:
            await subscribe(province, query="subscription { alertRaised { id city { code } } }")
            await eventually(lambda: len(served.subgraph.subscriptions) == 3)
            await served.subgraph.emit(wuhu_alert(3))
            assert (await receive(province))["payload"]["data"] == {"alertRaised": {"id": "A3", "city": {"code": WUHU}}}


async def test_anonymous_callers_and_bad_tokens_are_refused(served: Served) -> None:
    async with served.client() as anonymous:
        await subscribe(anonymous)
        message = await receive(anonymous)
        assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    async with websockets.connect(served.ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
        await ws.send('{"type":"connection_init","payload":{"Authorization":"Bearer not-a-jwt"}}')
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def _closed_with(served: Served, messages: list[str], subprotocol: bool = True) -> int:
    protocols = [websockets.Subprotocol("graphql-transport-ws")] if subprotocol else None
    async with websockets.connect(served.ws_url, subprotocols=protocols) as ws:
        for message in messages:
            await ws.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await receive(ws)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        (["not json"], 4400),  # unreadable message
        (['{"type":"subscribe","id":"1","payload":{"query":"subscription{alertRaised{id}}"}}'], 4401),  # before ack
        (['{"type":"connection_init"}', '{"type":"connection_init"}'], 4429),  # a second init
        ([], 4408),  # no init within init_timeout
    ],
)
async def test_protocol_errors_close_with_the_protocols_codes(served: Served, messages: list[str], code: int) -> None:
    assert await _closed_with(served, messages) == code


async def test_a_client_without_the_subprotocol_is_closed_with_4406(served: Served) -> None:
    assert await _closed_with(served, [], subprotocol=False) == 4406


async def test_a_running_id_cannot_be_reused_and_ping_is_answered(served: Served) -> None:
    async with served.client(token()) as ws:
        await ws.send('{"type":"ping"}')
        assert await receive(ws) == {"type": "pong"}
        await subscribe(ws, "same")
        await eventually(lambda: served.server.hub.subscribers() == 1)
        await subscribe(ws, "same")
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4409
    await eventually(lambda: served.server.hub.subscribers() == 0 and not served.subgraph.subscriptions)


async def test_complete_from_the_client_ends_the_upstream_when_it_was_the_last(served: Served) -> None:
    async with served.client(token()) as ws:
        await subscribe(ws)
        await eventually(lambda: len(served.subgraph.subscriptions) == 1)
        await ws.send('{"type":"complete","id":"1"}')
        await eventually(lambda: not served.subgraph.subscriptions and not served.server.hub.topics)


async def test_a_restarting_subgraph_is_subscribed_again_and_events_flow() -> None:
    subgraph = FakeAlertSubgraph()
    settings = SubscriptionSettings(retry=RetryPolicy(attempts=5, base=0.05, cap=0.2))
    async with serve_gateway(subgraph, settings=settings) as served, served.client(token()) as ws:
        await subscribe(ws)
        await eventually(lambda: len(subgraph.subscriptions) == 1)
        await subgraph.close_all(1012)  # "service restart"
        await eventually(lambda: len(subgraph.subscriptions) == 1 and subgraph.connections == 2)
        await subgraph.emit(hefei_alert(7))
        assert (await receive(ws))["payload"]["data"]["alertRaised"]["id"] == "A7"


async def test_a_subgraph_that_stays_away_ends_the_subscription_with_an_error_to_act_on() -> None:
    subgraph = FakeAlertSubgraph()
    settings = SubscriptionSettings(retry=RetryPolicy(attempts=2, base=0.05, cap=0.1))
    subgraph_server = contextlib.AsyncExitStack()
    url = await subgraph_server.enter_async_context(live_server(subgraph.app))
    try:
        async with serve_gateway(subgraph, settings=settings, subgraph_url=url) as served, served.client(token()) as ws:
            await subscribe(ws)
            await eventually(lambda: len(subgraph.subscriptions) == 1)
            await subgraph_server.aclose()  # the subgraph stops for good: its port refuses every reconnection
            message = await receive(ws)
            assert message["type"] == "error" and message["id"] == "1"
            assert message["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_UPSTREAM_LOST"
            assert "subscribe again" in message["payload"][0]["message"]
            await eventually(lambda: not served.server.hub.topics)
    finally:
        await subgraph_server.aclose()
