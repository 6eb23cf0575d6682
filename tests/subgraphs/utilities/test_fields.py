"""Field behaviour: periods, kinds, paging, the drop report, errors and the SDL."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from mocks.data.province import SHOWCASE_USCC
from mocks.data.utilities import meters_of
from tests.subgraphs.utilities.conftest import Graph


def one(body: str) -> str:
    """A query for the fields ``body`` of one enterprise representation."""
    return "query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { " + body + " } } }"


def _showcase() -> dict[str, object]:
    return {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC, "annualOutput": "860000000.00"}]}


async def test_the_showcase_enterprise_has_meters_use_and_readings(graph: Graph) -> None:
    body = """meters { totalCount edges { node { number accountNumber kind unit
                 latestReading { register unit readAt status }
                 dailyUse(from: "2026-11-25", to: "2026-11-27") { day quantity unit estimated } } } }
              energyUse { from to daysCovered tce totals { kind quantity unit tce } }"""
    result = await graph.execute(one(body), _showcase())
    assert result.errors is None, result.errors
    enterprise = result.data["_entities"][0]
    seeded = meters_of(graph.province, SHOWCASE_USCC)
    assert enterprise["meters"]["totalCount"] == len(seeded)
    first = enterprise["meters"]["edges"][0]["node"]
    assert first["kind"] == "ELECTRICITY" and first["unit"] == "kWh"
    assert first["latestReading"]["readAt"].endswith("+08:00")
    assert [d["day"] for d in first["dailyUse"]] == ["2026-11-25", "2026-11-26", "2026-11-27"]
    use = enterprise["energyUse"]
    # The default period: the 30 days up to yesterday, of which the mock wrote 7.
    assert (use["from"], use["to"], use["daysCovered"]) == ("2026-10-29", "2026-11-27", 7)
    assert Decimal(use["tce"]) == sum(Decimal(t["tce"]) for t in use["totals"] if t["tce"] is not None)
    water = next(t for t in use["totals"] if t["kind"] == "WATER")
    assert water["tce"] is None and water["unit"] == "m³"


async def test_kind_filters_meters_and_use(graph: Graph) -> None:
    body = """meters(kind: WATER) { totalCount edges { node { kind } } }
              energyUse(kind: WATER) { totals { kind } tce }"""
    result = await graph.execute(one(body), _showcase())
    assert result.errors is None, result.errors
    enterprise = result.data["_entities"][0]
    assert {e["node"]["kind"] for e in enterprise["meters"]["edges"]} == {"WATER"}
    assert [t["kind"] for t in enterprise["energyUse"]["totals"]] == ["WATER"]
    assert Decimal(enterprise["energyUse"]["tce"]) == 0


async def test_meters_page_with_cursors(graph: Graph) -> None:
    result = await graph.execute(
        one("meters(first: 1) { pageInfo { hasNextPage endCursor } edges { node { number } } }"), _showcase()
    )
    page = result.data["_entities"][0]["meters"]
    assert page["pageInfo"]["hasNextPage"] is True
    cursor = page["pageInfo"]["endCursor"]
    body = f'meters(first: 5, after: "{cursor}") {{ edges {{ node {{ number }} }} }}'
    rest = (await graph.execute(one(body), _showcase())).data["_entities"][0]["meters"]["edges"]
    numbers = [page["edges"][0]["node"]["number"]] + [e["node"]["number"] for e in rest]
    assert sorted(numbers) == sorted(m.meter_no for m in meters_of(graph.province, SHOWCASE_USCC))


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ('from: "2026-11-27", to: "2026-11-01"', "is after to"),  # reversed period
        ('from: "2024-01-01", to: "2026-11-27"', "at most 366 days"),  # too long a period
    ],
)
async def test_bad_periods_are_bad_user_input_before_any_legacy_call(graph: Graph, arguments: str, reason: str) -> None:
    result = await graph.execute(one(f"energyUse({arguments}) {{ tce }}"), _showcase())
    assert result.errors is not None
    error = result.errors[0]
    assert reason in error.message
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert graph.legacy_calls() == {"feed_http": 0}


async def test_an_invalid_date_is_rejected_by_the_scalar(graph: Graph) -> None:
    result = await graph.execute(one('energyUse(from: "2026-02-30") { tce }'), _showcase())
    assert result.errors is not None
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert graph.legacy_calls() == {"feed_http": 0}


async def test_a_feed_outage_costs_only_the_live_readings(graph: Graph) -> None:
    graph.mock.faults.update({"outage": True})
    body = "energyUse { tce } meters(first: 1) { edges { node { number latestReading { status } } } }"
    result = await graph.execute(one(body), _showcase())
    enterprise = result.data["_entities"][0]
    assert Decimal(enterprise["energyUse"]["tce"]) > 0  # the drops still answer
    assert enterprise["meters"]["edges"][0]["node"]["latestReading"] is None
    (error,) = result.errors
    assert error.extensions["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
    assert error.extensions["domain"] == "utilities"
    assert "utilities" in error.message


async def test_the_drop_report_shows_bad_rows(graph: Graph) -> None:
    query = """{ meterDropFiles(first: 10) { totalCount edges { node {
      name day status encoding rowsLoaded badRowCount badRows { line reason } problem } } } }"""
    result = await graph.execute(query)
    assert result.errors is None, result.errors
    files = result.data["meterDropFiles"]
    assert files["totalCount"] == 7
    nodes = [e["node"] for e in files["edges"]]
    assert nodes[0]["name"] == "METER_DAILY_20261127.csv"
    assert {n["status"] for n in nodes} == {"LOADED"}
    assert {n["encoding"] for n in nodes} == {"gbk", "utf-8-sig"}
    assert sum(n["badRowCount"] for n in nodes) == sum(len(n["badRows"]) for n in nodes) > 0


async def test_the_sdl_extends_the_registry_entities(graph: Graph) -> None:
    result = await graph.execute("{ _service { sdl } }")
    sdl = result.data["_service"]["sdl"]
    assert '@link(url: "https://specs.apollo.dev/federation/v2.7"' in sdl
    assert 'type Enterprise @key(fields: "uscc")' in sdl
    assert "annualOutput: Money @external" in sdl
    assert 'energyIntensity: EnergyIntensity @requires(fields: "annualOutput")' in sdl
    assert 'type Park @key(fields: "code")' in sdl
    assert 'type City @key(fields: "code")' in sdl


async def test_the_app_serves_graphql_and_health(graph: Graph) -> None:
    from subgraphs.utilities.app import create_app

    app = create_app(legacy_url="http://unused", drop_dir=graph.client.ledger.drop_dir, client=graph.client)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://utilities") as http:
        health = await http.get("/health")
        answer = await http.post("/graphql", json={"query": "{ meterDropFiles(first: 1) { totalCount } }"})
    assert health.json() == {"status": "ok", "subgraph": "utilities"}
    assert answer.json() == {"data": {"meterDropFiles": {"totalCount": 7}}}
