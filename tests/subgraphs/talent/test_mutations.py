"""postJobDemand writes once per idempotency key; refusals and outages keep a code and name the domain."""

from __future__ import annotations

from mocks.data.province import SHOWCASE_USCC
from tests.subgraphs.talent.conftest import Subgraph

POST = """mutation($input: PostJobDemandInput!, $key: String!) { postJobDemand(input: $input, idempotencyKey: $key) {
  id title headcount education salaryMin salaryMax validUntil status occupation { name } employer { uscc } } }"""
INPUT = {
    "employer": SHOWCASE_USCC,
    "title": "焊工",
    "headcount": 3,
    "occupationCode": "6-18-02-04",
    "contactName": "赵主管",
    "contactPhone": "0551-65550000",
    "education": "SECONDARY_VOCATIONAL",
    "salaryMin": "7000",
    "salaryMax": "9500.50",
    "validUntil": "2030-06-30",
}


def inserts(subgraph: Subgraph) -> int:
    return sum(s.lstrip().upper().startswith("INSERT") for s in subgraph.database.statements)


async def test_post_twice_with_one_key_writes_one_row(subgraph: Subgraph) -> None:
    first = await subgraph.query(POST, {"input": INPUT, "key": "p1"})
    assert "errors" not in first, first
    demand = first["data"]["postJobDemand"]
    assert demand["salaryMin"] == "7000.00" and demand["salaryMax"] == "9500.50"
    assert demand["occupation"]["name"] == "焊工" and demand["status"] == "OPEN"
    assert demand["validUntil"] == "2030-06-30" and demand["employer"]["uscc"] == SHOWCASE_USCC
    assert await subgraph.query(POST, {"input": INPUT, "key": "p1"}) == first
    assert inserts(subgraph) == 1
    found = await subgraph.query("query($id: ID!) { jobDemand(id: $id) { title } }", {"id": demand["id"]})
    assert found["data"]["jobDemand"]["title"] == "焊工"
    conflict = await subgraph.query(POST, {"input": {**INPUT, "headcount": 4}, "key": "p1"})
    assert conflict["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_CONFLICT"


async def test_a_group_code_is_rejected_by_the_database_rules(subgraph: Subgraph) -> None:
    body = await subgraph.query(POST, {"input": {**INPUT, "occupationCode": "6"}, "key": "p2"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "LEGACY_REJECTED"
    assert body["errors"][0]["extensions"]["domain"] == "talent"
    assert inserts(subgraph) == 0


async def test_bad_money_is_bad_user_input_before_any_statement(subgraph: Subgraph) -> None:
    body = await subgraph.query(POST, {"input": {**INPUT, "salaryMin": "7000.001"}, "key": "p3"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert subgraph.database.statements == []


async def test_outage_costs_only_the_talent_field(subgraph: Subgraph) -> None:
    subgraph.database.faults.outage = True
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Enterprise { uscc jobDemands { totalCount } } } }"""
    body = await subgraph.query(query, {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]})
    assert body["data"]["_entities"] == [{"uscc": SHOWCASE_USCC, "jobDemands": None}]
    error = body["errors"][0]
    assert error["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE" and error["extensions"]["domain"] == "talent"
    assert error["path"] == ["_entities", 0, "jobDemands"]
