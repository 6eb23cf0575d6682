"""The social security subgraph over the mock SOAP service: batching (counted calls), masking, Person ids, faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from adapters.socialsecurity.client import SocialSecurityClient
from mocks.data import socialsecurity as seeded
from mocks.data.province import SHOWCASE_USCC, generate
from mocks.faults import FaultInjection
from mocks.socialsecurity.app import create_app as create_service
from schema.personal import REVEAL_ALL
from subgraphs.common import create_subgraph_app
from subgraphs.socialsecurity.app import create_app
from subgraphs.socialsecurity.context import SocialSecurityContext
from subgraphs.socialsecurity.persons import PersonDirectory
from subgraphs.socialsecurity.schema import build_schema
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)
DATA = seeded.generate(PROVINCE)
KEY = b"test-person-key-0123456789"
ACCOUNTS = """query($r: [_Any!]!, $period: String!) { _entities(representations: $r) { ... on Enterprise {
  uscc socialSecurity { unitNumber insuredHeadcount inArrears contributionSummary(period: $period) {
    monthsContributed unitAmount personalAmount total byInsurance { insuranceType total } } } } } }"""
PERSONS = """query($uscc: [_Any!]!, $first: Int, $after: String) { _entities(representations: $uscc) {
  ... on Enterprise { socialSecurity { insuredPersons(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id residentId name contributionBase status } } } } } } }"""


@dataclass
class Stack:
    url: str
    service: FaultInjection
    client: SocialSecurityClient
    http: httpx.AsyncClient

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": document, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def stack() -> AsyncIterator[Stack]:
    service = create_service(PROVINCE)
    async with live_server(service) as url, SocialSecurityClient(url) as client:
        app = create_app(legacy_url=url, person_key=KEY, client=client)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://si") as http:
            yield Stack(url, service, client, http)


def enterprises(usccs: list[str]) -> list[dict[str, str]]:
    return [{"__typename": "Enterprise", "uscc": u} for u in usccs]


async def test_n_enterprises_cost_one_call_per_twenty(stack: Stack) -> None:
    usccs = [e.uscc for e in PROVINCE.enterprises[:45]]
    body = await stack.query(ACCOUNTS, {"r": enterprises(usccs), "period": "2025"})
    assert "errors" not in body
    assert stack.client.calls["queryUnits"] == 3
    assert stack.client.calls["queryUnitContributions"] == 3  # one 12-month window, 20 units per call
    accounts = {e["uscc"]: e["socialSecurity"] for e in body["data"]["_entities"]}
    for uscc in usccs:
        unit = DATA.unit(uscc)
        if unit is None:
            assert accounts[uscc] is None  # never registered with social insurance
            continue
        assert accounts[uscc]["insuredHeadcount"] == DATA.headcount(uscc)
        rows = DATA.contributions(uscc, "202501", "202512")
        expected = Decimal(sum(r.unit_fen + r.personal_fen for r in rows)) / 100
        assert Decimal(accounts[uscc]["contributionSummary"]["total"]) == expected


async def test_contribution_summary_of_the_showcase(stack: Stack) -> None:
    body = await stack.query(ACCOUNTS, {"r": enterprises([SHOWCASE_USCC]), "period": "2025-06"})
    summary = body["data"]["_entities"][0]["socialSecurity"]["contributionSummary"]
    assert summary["monthsContributed"] == 1
    assert [b["insuranceType"] for b in summary["byInsurance"]] == [
        "PENSION",
        "UNEMPLOYMENT",
        "MEDICAL",
        "WORK_INJURY",
        "MATERNITY",
    ]
    assert Decimal(summary["unitAmount"]) + Decimal(summary["personalAmount"]) == Decimal(summary["total"])


async def test_monthly_contributions_filter_and_page(stack: Stack) -> None:
    document = """query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Enterprise {
      socialSecurity { monthlyContributions(from: "2024-01", to: "2025-12", insuranceType: PENSION, first: 6,
        after: $after) { totalCount edges { node { month insuranceType unitAmount paid } } pageInfo { endCursor } } }
    } } }"""
    first = await stack.query(document, {"r": enterprises([SHOWCASE_USCC])})
    page = first["data"]["_entities"][0]["socialSecurity"]["monthlyContributions"]
    assert page["totalCount"] == 24
    assert [e["node"]["month"] for e in page["edges"]] == [f"2024-{m:02d}" for m in range(1, 7)]
    second = await stack.query(document, {"r": enterprises([SHOWCASE_USCC]), "after": page["pageInfo"]["endCursor"]})
    months = [
        e["node"]["month"] for e in second["data"]["_entities"][0]["socialSecurity"]["monthlyContributions"]["edges"]
    ]
    assert months == [f"2024-{m:02d}" for m in range(7, 13)]


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ('from: "2024-13", to: "2025-01"', "YYYY-MM"),  # no 13th month
        ('from: "2025-06", to: "2025-01"', "must not be after"),  # reversed
        ('from: "2010-01", to: "2025-12"', "at most 120 months"),  # too long for one question
    ],
)
async def test_bad_months_are_refused_before_any_call(stack: Stack, arguments: str, reason: str) -> None:
    document = f"""query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on Enterprise {{
      socialSecurity {{ monthlyContributions({arguments}) {{ totalCount }} }} }} }} }}"""
    body = await stack.query(document, {"r": enterprises([SHOWCASE_USCC])})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert reason in body["errors"][0]["message"]
    assert stack.client.calls["queryUnitContributions"] == 0


async def test_persons_are_masked_by_default_and_keyed_by_an_opaque_id(stack: Stack) -> None:
    body = await stack.query(PERSONS, {"uscc": enterprises([SHOWCASE_USCC]), "first": 4})
    persons = body["data"]["_entities"][0]["socialSecurity"]["insuredPersons"]
    insured = DATA.unit_persons(SHOWCASE_USCC)
    assert persons["totalCount"] == len(insured)
    nodes = [e["node"] for e in persons["edges"]]
    for node, person in zip(nodes, insured[:4], strict=True):
        assert node["residentId"] == person.resident_id[:4] + "**********" + person.resident_id[-4:]
        assert node["name"][0] == person.name[0] and "*" in node["name"]
        assert node["contributionBase"] is None  # a wage: hidden
        assert person.resident_id not in node["id"] and node["id"].startswith("psn_")
    # The same person has the same id on every request (a keyed hash, not a counter).
    again = await stack.query(PERSONS, {"uscc": enterprises([SHOWCASE_USCC]), "first": 4})
    assert again == body


async def test_person_entities_resolve_through_the_directory_in_batches(stack: Stack) -> None:
    body = await stack.query(PERSONS, {"uscc": enterprises([SHOWCASE_USCC]), "first": 10})
    ids = [e["node"]["id"] for e in body["data"]["_entities"][0]["socialSecurity"]["insuredPersons"]["edges"]]
    document = (
        """query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id status employer { uscc } } } }"""
    )
    representations = [{"__typename": "Person", "id": i} for i in [*ids, "psn_unknown"]]
    answer = await stack.query(document, {"r": representations})
    entities = answer["data"]["_entities"]
    assert [e["id"] for e in entities[:-1]] == ids and entities[-1] is None
    assert all(e["employer"]["uscc"] == SHOWCASE_USCC for e in entities[:-1])
    assert stack.client.calls["queryPersons"] == 1  # 10 persons: one batch of at most 20


async def test_unmasked_with_a_revealing_disclosure(stack: Stack) -> None:
    directory = PersonDirectory(KEY)

    def context(request: Request) -> SocialSecurityContext:
        return SocialSecurityContext(request=request, client=stack.client, directory=directory, personal=REVEAL_ALL)

    app = create_subgraph_app(build_schema(), name="socialsecurity", context_factory=context)
    person = DATA.unit_persons(SHOWCASE_USCC)[0]
    document = """query($id: ResidentID!) { insuredPerson(residentId: $id) { id residentId name contributionBase } }"""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://si") as http:
        body = (await http.post("/graphql", json={"query": document, "variables": {"id": person.resident_id}})).json()
    found = body["data"]["insuredPerson"]
    assert found["residentId"] == person.resident_id and found["name"] == person.name
    assert Decimal(found["contributionBase"]) == person.contribution_base_yuan
    masked = await stack.query(document, {"id": person.resident_id})
    assert masked["data"]["insuredPerson"]["id"] == found["id"]  # same key, same id, in another process


async def test_invalid_resident_id_is_refused_before_any_call(stack: Stack) -> None:
    document = """query($id: ResidentID!) { insuredPerson(residentId: $id) { id } }"""
    body = await stack.query(document, {"id": "110105194912310021"})  # check digit should be X
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert stack.client.calls["queryPersons"] == 0


async def test_park_headcount_batches_by_twenty(stack: Stack) -> None:
    parks = [p.code for p in PROVINCE.parks[:25]]
    document = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Park { code insuredHeadcount
      insuredUnitCount } } }"""
    body = await stack.query(document, {"r": [{"__typename": "Park", "code": c} for c in parks]})
    found = {e["code"]: e for e in body["data"]["_entities"]}
    assert stack.client.calls["queryParkStatistics"] == 2
    units = DATA.park_units("340100-HTZ")
    assert found["340100-HTZ"]["insuredHeadcount"] == sum(DATA.headcount(u.uscc) for u in units)
    assert found["340100-HTZ"]["insuredUnitCount"] == len(units)


async def test_server_fault_names_the_domain(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.url) as admin:
        await admin.put("/__admin/maintenance", json={"on": True})
    body = await stack.query(ACCOUNTS, {"r": enterprises([SHOWCASE_USCC]), "period": "2025"})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
    assert error["extensions"]["domain"] == "socialsecurity"
    assert error["path"] == ["_entities", 0, "socialSecurity"]
    assert body["data"]["_entities"] == [{"uscc": SHOWCASE_USCC, "socialSecurity": None}]
