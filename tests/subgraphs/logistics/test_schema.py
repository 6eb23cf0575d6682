"""The logistics subgraph over the mock platform: entity batching (counted calls), @provides, paging, bookings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from adapters.logistics.client import LogisticsClient
from mocks.data.logistics import shipments
from mocks.data.province import SHOWCASE_USCC, generate
from mocks.faults import FaultInjection
from mocks.logistics.app import create_app as create_platform
from subgraphs.logistics.app import create_app
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)
ENTERPRISE_SHIPMENTS = """query($r: [_Any!]!, $filter: ShipmentFilter, $first: Int, $after: String) {
  _entities(representations: $r) { ... on Enterprise { uscc shipments(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { waybillNo status consignor { uscc } consignee { uscc name } freight createdAt } } } } } }"""
BOOK = """mutation($input: BookShipmentInput!, $key: String!) {
  bookShipment(input: $input, idempotencyKey: $key) { shipment { waybillNo status consignee { name } } } }"""


async def _no_nap(seconds: float) -> None:
    return None


@dataclass
class Stack:
    platform_url: str
    platform: FaultInjection
    client: LogisticsClient
    http: httpx.AsyncClient

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": document, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    @asynccontextmanager
    async def replica(self) -> AsyncIterator[httpx.AsyncClient]:
        """A second subgraph process on the same platform, with its own memory."""
        async with LogisticsClient(self.platform_url, sleep=_no_nap) as client:
            app = create_app(legacy_url=self.platform_url, client=client)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://logistics") as http:
                yield http


@pytest.fixture
async def stack() -> AsyncIterator[Stack]:
    platform = create_platform(PROVINCE, rate_per_second=0)
    async with live_server(platform) as url:
        client = LogisticsClient(url, sleep=_no_nap)
        app = create_app(legacy_url=url, client=client)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://logistics") as http:
            yield Stack(url, platform, client, http)
        await client.aclose()


def seeded(uscc: str) -> list[Any]:
    return [s for s in shipments(PROVINCE) if uscc in (s.consignor_uscc, s.consignee_uscc)]


async def test_n_enterprises_cost_what_the_platform_limits_force(stack: Stack) -> None:
    usccs = [e.uscc for e in PROVINCE.enterprises[:45]]
    body = await stack.query(
        ENTERPRISE_SHIPMENTS, {"r": [{"__typename": "Enterprise", "uscc": u} for u in usccs], "first": 100}
    )
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["uscc"] for e in entities] == usccs
    for entity in entities:
        assert entity["shipments"]["totalCount"] == len(seeded(entity["uscc"]))
    # 45 enterprises: one listing per 20 (3), each as many pages of 100 as its waybills need; never 45.
    chunks = [usccs[:20], usccs[20:40], usccs[40:]]
    pages = sum(-(-len({s.waybill_no for u in chunk for s in seeded(u)}) // 100) for chunk in chunks)
    assert stack.client.calls["list"] == pages < 10


async def test_consignee_name_is_provided_from_the_waybill(stack: Stack) -> None:
    body = await stack.query(ENTERPRISE_SHIPMENTS, {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]})
    nodes = [edge["node"] for edge in body["data"]["_entities"][0]["shipments"]["edges"]]
    expected = {s.waybill_no: s for s in seeded(SHOWCASE_USCC)}
    assert nodes and all(n["consignee"]["name"] == expected[n["waybillNo"]].consignee_name for n in nodes)
    assert all(n["createdAt"].endswith("+08:00") for n in nodes)
    sdl = (await stack.query("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'consignee: Enterprise! @provides(fields: "name")' in sdl
    assert "name: String! @external" in sdl


async def test_connection_pages_with_cursors(stack: Stack) -> None:
    rep = {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}], "first": 5}
    first = (await stack.query(ENTERPRISE_SHIPMENTS, rep))["data"]["_entities"][0]["shipments"]
    after = first["pageInfo"]["endCursor"]
    second = (await stack.query(ENTERPRISE_SHIPMENTS, {**rep, "after": after}))["data"]["_entities"][0]["shipments"]
    numbers = [e["node"]["waybillNo"] for e in first["edges"] + second["edges"]]
    assert numbers == [s.waybill_no for s in seeded(SHOWCASE_USCC)][:10]
    assert first["pageInfo"]["hasNextPage"] is True


async def test_filter_by_role_and_status(stack: Stack) -> None:
    variables = {
        "r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}],
        "filter": {"role": "CONSIGNOR", "status": "DELIVERED"},
        "first": 100,
    }
    found = (await stack.query(ENTERPRISE_SHIPMENTS, variables))["data"]["_entities"][0]["shipments"]
    expected = [s.waybill_no for s in seeded(SHOWCASE_USCC) if s.consignor_uscc == SHOWCASE_USCC and s.status == "40"]
    assert [e["node"]["waybillNo"] for e in found["edges"]] == expected
    assert all(e["node"]["status"] == "DELIVERED" for e in found["edges"])


async def test_shipment_entities_batch_by_fifty_and_keep_order(stack: Stack) -> None:
    numbers = [s.waybill_no for s in shipments(PROVINCE)[:120]]
    numbers.insert(7, "WL20990101999999")
    document = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Shipment { waybillNo consignor { uscc } park { code } } } }"""
    body = await stack.query(document, {"r": [{"__typename": "Shipment", "waybillNo": n} for n in numbers]})
    entities = body["data"]["_entities"]
    assert entities[7] is None
    assert [e["waybillNo"] for i, e in enumerate(entities) if i != 7] == [n for i, n in enumerate(numbers) if i != 7]
    assert stack.client.calls["query"] == 3  # 121 numbers, at most 50 per platform call


async def test_park_stats_batch_by_twenty(stack: Stack) -> None:
    parks = [p.code for p in PROVINCE.parks[:25]]
    document = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Park { code logisticsStats { shipmentCount deliveredCount freightTotal totalWeightKg } } } }"""
    body = await stack.query(document, {"r": [{"__typename": "Park", "code": c} for c in parks]})
    stats = {e["code"]: e["logisticsStats"] for e in body["data"]["_entities"]}
    assert stack.client.calls["zone_stats"] == 2
    htz = [s for s in shipments(PROVINCE) if s.park_code == "340100-HTZ"]
    assert stats["340100-HTZ"]["shipmentCount"] == len(htz)
    assert stats["340100-HTZ"]["freightTotal"] == f"{sum(s.freight_fen for s in htz) / 100:.2f}"


def booking(**changes: Any) -> dict[str, Any]:
    consignee = PROVINCE.enterprises[5]
    base = {
        "consignor": SHOWCASE_USCC,
        "consignee": consignee.uscc,
        "consigneeName": consignee.name,
        "destinationCityCode": consignee.city_code,
        "cargo": "电子元器件",
        "weightKg": "120.5",
        "pieces": 4,
    }
    return {**base, **changes}


async def test_book_shipment_is_idempotent_within_and_across_replicas(stack: Stack) -> None:
    first = await stack.query(BOOK, {"input": booking(), "key": "order-2026-0001"})
    retry = await stack.query(BOOK, {"input": booking(), "key": "order-2026-0001"})
    assert "errors" not in first and first == retry
    assert stack.client.calls["book"] == 1  # the retry was answered from memory
    async with stack.replica() as other:
        variables = {"input": booking(), "key": "order-2026-0001"}
        response = await other.post("/graphql", json={"query": BOOK, "variables": variables})
    assert response.json() == first  # the platform recognised the client reference: no second waybill
    listed = (await stack.client.shipments_of([SHOWCASE_USCC]))[SHOWCASE_USCC]
    waybill = first["data"]["bookShipment"]["shipment"]["waybillNo"]
    assert [s.waybill_no for s in listed].count(waybill) == 1
    assert first["data"]["bookShipment"]["shipment"]["status"] == "BOOKED"


async def test_reused_key_with_other_input_is_a_conflict(stack: Stack) -> None:
    await stack.query(BOOK, {"input": booking(), "key": "k-1"})
    here = await stack.query(BOOK, {"input": booking(pieces=9), "key": "k-1"})
    assert here["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_CONFLICT"
    async with stack.replica() as other:
        variables = {"input": booking(pieces=9), "key": "k-1"}
        there = (await other.post("/graphql", json={"query": BOOK, "variables": variables})).json()
    assert there["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_CONFLICT"  # told by the platform (409)


async def test_invalid_booking_is_refused_before_any_legacy_call(stack: Stack) -> None:
    body = await stack.query(BOOK, {"input": booking(weightKg="0"), "key": "k-2"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad_uscc = await stack.query(BOOK, {"input": booking(consignee="91340100MA2NJ8U32X"), "key": "k-3"})
    assert bad_uscc["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert stack.client.calls["book"] == 0


async def test_outage_names_the_domain(stack: Stack) -> None:
    stack.platform.faults.update({"outage": True})
    body = await stack.query(ENTERPRISE_SHIPMENTS, {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
    assert error["extensions"]["domain"] == "logistics"
    assert error["path"] == ["_entities", 0, "shipments"]
