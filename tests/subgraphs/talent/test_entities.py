"""Entity batching: N enterprises, demands, parks or cities cost one statement per filter and 500 keys."""

from __future__ import annotations

from mocks.data.province import SHOWCASE_USCC
from mocks.data.talent import generate_demands
from tests.subgraphs.talent.conftest import Subgraph

DEMANDS = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
  uscc all: jobDemands(first: 1) { totalCount edges { node { id employer { uscc } } } }
  open: jobDemands(filter: {openOnly: true}) { totalCount } } } }"""


async def test_six_hundred_enterprises_two_filters_cost_four_statements(subgraph: Subgraph) -> None:
    usccs = [e.uscc for e in subgraph.database.province.enterprises]
    body = await subgraph.query(DEMANDS, {"r": [{"__typename": "Enterprise", "uscc": u} for u in usccs]})
    assert "errors" not in body
    seeded = generate_demands(subgraph.database.province)
    entities = body["data"]["_entities"]
    for uscc, entity in zip(usccs, entities, strict=True):
        assert entity["all"]["totalCount"] == sum(d.uscc == uscc for d in seeded)
        assert entity["open"]["totalCount"] <= entity["all"]["totalCount"]
        assert all(e["node"]["employer"]["uscc"] == uscc for e in entity["all"]["edges"])
    # Two filters × ceil(600 / 500) chunks: the count does not grow with the number of enterprises.
    assert len(subgraph.selects()) == 4


async def test_demands_by_key_cost_one_statement(subgraph: Subgraph) -> None:
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on JobDemand {
      id title occupation { code name majorGroupName } } } }"""
    ids = [str(n) for n in range(1, 31)] + ["999999", "1"]
    body = await subgraph.query(query, {"r": [{"__typename": "JobDemand", "id": i} for i in ids]})
    entities = body["data"]["_entities"]
    assert [e["id"] if e else None for e in entities] == [*ids[:30], None, "1"]
    assert len(subgraph.selects()) == 1


async def test_park_and_city_totals_cost_one_statement_each(subgraph: Subgraph) -> None:
    parks = [p.code for p in subgraph.database.province.parks]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Park { code talentDemand { openPostings openPositions byEducation { education positions } } }
      ... on City { code talentDemand { openPositions } } } }"""
    representations = [{"__typename": "Park", "code": c} for c in parks]
    representations.append({"__typename": "City", "code": "340100"})
    body = await subgraph.query(query, {"r": representations})
    entities = body["data"]["_entities"]
    assert len(subgraph.selects()) == 2
    park_totals = {e["code"]: e["talentDemand"] for e in entities[:-1]}
    hefei = sum(t["openPositions"] for code, t in park_totals.items() if code.startswith("340100-"))
    assert entities[-1]["talentDemand"]["openPositions"] == hefei > 0
    for totals in park_totals.values():
        assert sum(b["positions"] for b in totals["byEducation"]) == totals["openPositions"]


async def test_fields_filters_paging_and_masking(subgraph: Subgraph) -> None:
    query = """query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Enterprise {
      jobDemands(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { id headcount education educationLabel salaryMin salaryMax postedOn validUntil status
                       occupation { code name } contactName contactPhone } } }
      bachelors: jobDemands(filter: {education: BACHELOR}) { edges { node { education educationLabel } } } } } }"""
    rep = {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]}
    first = (await subgraph.query(query, rep))["data"]["_entities"][0]
    page = first["jobDemands"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"]
    second = (await subgraph.query(query, {**rep, "after": page["pageInfo"]["endCursor"]}))["data"]["_entities"][0]
    assert {e["node"]["id"] for e in page["edges"]}.isdisjoint(e["node"]["id"] for e in second["jobDemands"]["edges"])
    node = page["edges"][0]["node"]
    assert len(node["postedOn"]) == 10 and node["postedOn"][4] == "-"
    if node["salaryMin"] is not None:
        assert node["salaryMin"].endswith(".00")  # Money: yuan as a decimal string
    assert "*" in node["contactPhone"]  # personal data masked by default
    assert all(e["node"]["educationLabel"] == "大学本科" for e in first["bachelors"]["edges"])
