"""SSE subscriptions, a slow client's disconnection, and two gateway replicas sharing one upstream over Redis."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
import orjson
import pytest

from gateway.subscriptions import RedisBroker
from gateway.subscriptions.websocket import WebSocketSession
from tests.gateway.subscriptions.conftest import HEFEI, WUHU, Served, serve_gateway, token
from tests.support.live_server import live_server
from tests.support.redis import delete_prefix, redis_url, unique_prefix
from tests.support.subscription_subgraph import FakeAlertSubgraph, alert
from tests.support.waiting import eventually

QUERY = "subscription { alertRaised { id enterprise { name } } }"


async def _events(response: httpx.Response) -> Any:
    event = None
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: ") and event is not None:
            data = line[len("data: ") :]
            yield event, orjson.loads(data) if data else None
            event = None


async def test_sse_streams_next_events_of_the_callers_tenant(served: Served) -> None:
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {token(f'city:{HEFEI}')}"}
    async with (
        httpx.AsyncClient(base_url=served.url, timeout=10) as http,
        http.stream("POST", "/graphql", json={"query": QUERY}, headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response)
        await eventually(lambda: len(served.subgraph.subscriptions) == 1)
        await served.subgraph.emit(alert(1, WUHU, f"{WUHU}-HTZ", "91340200MA2TEST02X"))  # not Hefei's
        await served.subgraph.emit(alert(2, HEFEI, f"{HEFEI}-HTZ", "91340100MA2TEST01X"))
        kind, body = await asyncio.wait_for(anext(events), 5)
        assert kind == "next" and body["data"]["alertRaised"] == {"id": "A2", "enterprise": {"name": "企业T01X"}}
    await eventually(lambda: not served.subgraph.subscriptions)  # the client left: so did the upstream


async def test_sse_refuses_a_bad_token_with_401_and_a_bad_query_with_400(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.url, timeout=10) as http:
        bad = await http.post(
            "/graphql",
            json={"query": QUERY},
            headers={"accept": "text/event-stream", "authorization": "Bearer nope"},
        )
        assert bad.status_code == 401 and bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        invalid = await http.post(
            "/graphql",
            json={"query": "subscription { alertRaised { nope } }"},
            headers={"accept": "text/event-stream", "authorization": f"Bearer {token()}"},
        )
        assert invalid.status_code == 400
        assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_slow_client_is_closed_with_a_reason_and_its_buffer_dropped(served: Served) -> None:
    inbound: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[dict[str, Any]] = []
    stuck = asyncio.Event()  # never set: the client stops reading after the ack

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "websocket.send" and '"next"' in message["text"]:
            await stuck.wait()

    assert served.server.service is not None
    scope = {"type": "websocket", "path": "/graphql", "headers": [], "subprotocols": ["graphql-transport-ws"]}
    session = WebSocketSession(served.server.service, scope, inbound.get, send, max_messages=3)
    running = asyncio.create_task(session.run())
    await inbound.put({"type": "websocket.connect"})
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token('province')}"}}
    await inbound.put({"type": "websocket.receive", "text": orjson.dumps(init).decode()})
    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": QUERY}}
    await inbound.put({"type": "websocket.receive", "text": orjson.dumps(subscribe).decode()})
    await eventually(lambda: len(served.subgraph.subscriptions) == 1)
    for number in range(10):
        await served.subgraph.emit(alert(number, HEFEI, f"{HEFEI}-HTZ", "91340100MA2TEST01X"))
    await asyncio.wait_for(running, 5)
    close = sent[-1]
    assert close["type"] == "websocket.close" and close["code"] == 1008
    assert "Slow consumer" in close["reason"]
    assert len(session.outbox) == 0  # what was waiting is gone, not kept for a client that will not read it
    await eventually(lambda: not served.subgraph.subscriptions)


@pytest.mark.redis
async def test_two_replicas_share_one_upstream_through_redis() -> None:
    prefix = unique_prefix()
    subgraph = FakeAlertSubgraph()
    try:
        async with (
            live_server(subgraph.app) as url,
            serve_gateway(subgraph, broker=RedisBroker.from_url(redis_url(), prefix=prefix), subgraph_url=url) as one,
            serve_gateway(subgraph, broker=RedisBroker.from_url(redis_url(), prefix=prefix), subgraph_url=url) as two,
            one.client(token()) as first,
            two.client(token()) as second,
        ):
            for ws in (first, second):
                payload = {"query": QUERY}
                await ws.send(orjson.dumps({"id": "s", "type": "subscribe", "payload": payload}).decode())
            await eventually(lambda: one.server.hub.subscribers() == 1 and two.server.hub.subscribers() == 1)
            await eventually(lambda: len(subgraph.subscriptions) == 1)
            await asyncio.sleep(0.2)  # a second replica would have connected by now if it were going to
            assert subgraph.connections == 1
            await subgraph.emit(alert(5, HEFEI, f"{HEFEI}-HTZ", "91340100MA2TEST01X"))
            for ws in (first, second):
                message = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
                assert message["payload"]["data"]["alertRaised"]["id"] == "A5"
    finally:
        with contextlib.suppress(Exception):
            await delete_prefix(prefix)
