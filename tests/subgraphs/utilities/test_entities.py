"""Entity resolution and batching: the legacy calls for N entities do not grow with N."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from mocks.data.province import SHOWCASE_USCC
from mocks.data.utilities import meters
from tests.subgraphs.utilities.conftest import Graph

ENTERPRISES = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
  uscc
  meters(first: 10) { totalCount edges { node { number kind unit latestReading { status readAt register } } } }
  energyUse { from to daysCovered tce totals { kind quantity unit tce } }
  energyIntensity { tcePerTenThousandYuan annualisedTce daysCovered }
} } }"""

PLACES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Park { code energyUse(kind: ELECTRICITY) { tce totals { kind quantity } } }
  ... on City { code energyUse { tce daysCovered } }
} }"""


def _enterprises(graph: Graph, count: int) -> list[dict[str, object]]:
    chosen = graph.province.enterprises[:count]
    return [
        {"__typename": "Enterprise", "uscc": e.uscc, "annualOutput": f"{e.annual_output_wan * 10000}.00"}
        for e in chosen
    ]


@pytest.mark.parametrize("count", [1, 10, 100])
async def test_enterprise_fields_cost_one_batch_call_each_whatever_the_count(graph: Graph, count: int) -> None:
    result = await graph.execute(ENTERPRISES, {"r": _enterprises(graph, count)})
    assert result.errors is None, result.errors
    entities = result.data["_entities"]
    assert len(entities) == count
    metered = {m.meter_no for m in meters(graph.province) if m.uscc in {e["uscc"] for e in entities}}
    shown = sum(len(e["meters"]["edges"]) for e in entities)
    assert shown == len(metered)
    # One call per field for all N enterprises; the live feed only splits by its 100-meter limit.
    assert graph.legacy_calls() == {
        "meters_of": 1,
        "usage_of:uscc": 1,
        "annualised_use": 1,
        "latest_readings": 1,
        "feed_http": math.ceil(len(metered) / 100),
    }


async def test_duplicate_and_mixed_representations_are_answered_in_order(graph: Graph) -> None:
    uscc = SHOWCASE_USCC
    representations = [
        {"__typename": "Enterprise", "uscc": uscc, "annualOutput": None},
        {"__typename": "Park", "code": "340100-HTZ"},
        {"__typename": "Enterprise", "uscc": uscc, "annualOutput": None},
        {"__typename": "City", "code": "340100"},
    ]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      __typename ... on Enterprise { uscc energyUse { tce } } ... on Park { code } ... on City { code } } }"""
    result = await graph.execute(query, {"r": representations})
    assert result.errors is None, result.errors
    entities = result.data["_entities"]
    assert [e["__typename"] for e in entities] == ["Enterprise", "Park", "Enterprise", "City"]
    assert entities[0] == entities[2]
    assert graph.legacy_calls()["usage_of:uscc"] == 1


async def test_park_and_city_totals_batch_by_level(graph: Graph) -> None:
    parks = ["340100-HTZ", "340100-ETDZ", "340200-HTZ"]
    representations = [{"__typename": "Park", "code": c} for c in parks]
    representations += [{"__typename": "City", "code": c} for c in ("340100", "340200")]
    result = await graph.execute(PLACES, {"r": representations})
    assert result.errors is None, result.errors
    entities = result.data["_entities"]
    assert graph.legacy_calls() == {"usage_of:park": 1, "usage_of:city": 1, "feed_http": 0}
    for park in entities[:3]:
        assert [t["kind"] for t in park["energyUse"]["totals"]] == ["ELECTRICITY"]
        assert Decimal(park["energyUse"]["tce"]) > 0
    hefei = entities[3]["energyUse"]
    hefei_parks = sum(Decimal(p["energyUse"]["tce"]) for p in entities[:2])
    # The city's total includes every kind of energy and all three of its parks: more than two parks' electricity.
    assert Decimal(hefei["tce"]) > hefei_parks
    assert hefei["daysCovered"] == 7


async def test_energy_intensity_divides_by_the_registry_output(graph: Graph) -> None:
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
      energyUse(from: "2026-11-21", to: "2026-11-27") { tce }
      energyIntensity { tcePerTenThousandYuan annualisedTce basisFrom basisTo daysCovered } } } }"""
    representations = [
        {"__typename": "Enterprise", "uscc": SHOWCASE_USCC, "annualOutput": "860000000.00"},
        {"__typename": "Enterprise", "uscc": SHOWCASE_USCC, "annualOutput": None},
    ]
    result = await graph.execute(query, {"r": representations})
    assert result.errors is None, result.errors
    with_output, without_output = result.data["_entities"]
    intensity = with_output["energyIntensity"]
    assert intensity["daysCovered"] == 7
    assert (intensity["basisFrom"], intensity["basisTo"]) == ("2025-11-28", "2026-11-27")
    annual = Decimal(with_output["energyUse"]["tce"]) * 365 / 7
    assert Decimal(intensity["annualisedTce"]) == pytest.approx(annual, rel=Decimal("0.0001"))
    assert Decimal(intensity["tcePerTenThousandYuan"]) == pytest.approx(annual / 86000, rel=Decimal("0.001"))
    assert without_output["energyIntensity"] is None
