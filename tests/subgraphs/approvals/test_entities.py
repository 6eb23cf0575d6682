"""Entity batching: N enterprises, parks or cases cost only the calls the platform's batch limits force."""

from __future__ import annotations

import math

from mocks.data.approvals import generate_cases
from mocks.data.province import SHOWCASE_USCC
from tests.subgraphs.approvals.conftest import Subgraph

ENTERPRISE_CASES = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
  uscc approvalCases(first: 2) { totalCount edges { node { id status applicant { uscc } } } } } } }"""


async def test_enterprises_cost_one_list_query_per_twenty(subgraph: Subgraph) -> None:
    usccs = [e.uscc for e in subgraph.province.enterprises[:45]]
    body = await subgraph.query(ENTERPRISE_CASES, {"r": [{"__typename": "Enterprise", "uscc": u} for u in usccs]})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    records = generate_cases(subgraph.province)
    for uscc, entity in zip(usccs, entities, strict=True):
        mine = [r for r in records if r.uscc == uscc]
        assert entity["uscc"] == uscc and entity["approvalCases"]["totalCount"] == len(mine)
        assert all(e["node"]["applicant"]["uscc"] == uscc for e in entity["approvalCases"]["edges"])
    # ceil(45 / 20) = 3 chunks; each chunk fits in one page of 100 unless it has more cases.
    expected = sum(
        max(1, math.ceil(sum(r.uscc in set(usccs[i : i + 20]) for r in records) / 100)) for i in range(0, 45, 20)
    )
    assert len(subgraph.legacy.requests) == expected == 3


async def test_cases_by_key_cost_one_lookup_per_fifty(subgraph: Subgraph) -> None:
    numbers = [r.case_no for r in generate_cases(subgraph.province)[:60]]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on ApprovalCase { id itemName park { code } } } }"""
    representations = [{"__typename": "ApprovalCase", "id": n} for n in [*numbers, "0000", numbers[0]]]
    body = await subgraph.query(query, {"r": representations})
    entities = body["data"]["_entities"]
    assert [e["id"] if e else None for e in entities] == [*numbers, None, numbers[0]]
    assert subgraph.legacy.paths().count("/zwfw/api/v1/bjxx/plcx") == 2 == len(subgraph.legacy.requests)


async def test_park_stats_cost_one_query_per_ten_parks(subgraph: Subgraph) -> None:
    parks = [p.code for p in subgraph.province.parks[:15]]
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Park {
      code approvalStats { total inProgress byStatus { status count } } } } }"""
    body = await subgraph.query(query, {"r": [{"__typename": "Park", "code": c} for c in parks]})
    records = generate_cases(subgraph.province)
    for code, entity in zip(parks, body["data"]["_entities"], strict=True):
        stats = entity["approvalStats"]
        assert stats["total"] == sum(r.park_code == code for r in records)
        assert sum(s["count"] for s in stats["byStatus"]) == stats["total"] and len(stats["byStatus"]) == 7
        open_ = sum(r.park_code == code and r.status in ("01", "02", "03", "04") for r in records)
        assert stats["inProgress"] == open_
    assert len(subgraph.legacy.requests) == 2


async def test_paging_status_filter_and_masked_contacts(subgraph: Subgraph) -> None:
    query = """query($r: [_Any!]!, $after: String, $status: ApprovalStatus) { _entities(representations: $r) {
      ... on Enterprise { approvalCases(first: 3, after: $after, status: $status) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id status submittedAt completedAt contactName contactPhone } } } } } }"""
    rep = {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]}
    first = (await subgraph.query(query, rep))["data"]["_entities"][0]["approvalCases"]
    assert first["totalCount"] == 7 and first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    second = (await subgraph.query(query, {**rep, "after": after}))["data"]["_entities"][0]["approvalCases"]
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert len(set(ids)) == 6
    node = first["edges"][0]["node"]
    assert node["submittedAt"].endswith("+08:00")
    assert "*" in node["contactPhone"] and "*" in node["contactName"]  # personal data masked by default
    approved = await subgraph.query(query, {**rep, "status": "APPROVED"})
    edges = approved["data"]["_entities"][0]["approvalCases"]["edges"]
    assert [e["node"]["status"] for e in edges] == ["APPROVED"] and edges[0]["node"]["completedAt"]


async def test_federation_sdl_declares_the_keys(subgraph: Subgraph) -> None:
    sdl = (await subgraph.query("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'type Enterprise @key(fields: "uscc")' in sdl
    assert 'type Park @key(fields: "code")' in sdl
    assert 'type ApprovalCase @key(fields: "id")' in sdl
