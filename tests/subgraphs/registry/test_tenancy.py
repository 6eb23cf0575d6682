"""The registry behind its identity gate: unsigned and forged calls refused, rows filtered by tenant,
personal data unmasked only with pii:read and a listed purpose, each unmasked read audited."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from auth.identity import Identity, IdentitySigner, IdentityVerifier, parse_tenant
from mocks.data.province import SHOWCASE_USCC, Province
from subgraphs.common import create_subgraph_app
from subgraphs.common.audit import AuditLog
from subgraphs.registry.app import create_schema
from subgraphs.registry.context import RegistryContext
from tests.subgraphs.registry.conftest import Subgraph

KEY = b"registry-test-identity-key-0123456789"
SIGNER = IdentitySigner(KEY)
SCHEMA = create_schema()


def identity(tenant: str, *scopes: str, purpose: str | None = None) -> Identity:
    return Identity("someone", "demo-client", parse_tenant(tenant), frozenset(scopes or ("graph:read",)), purpose)


@dataclass
class Gated:
    http: httpx.AsyncClient
    audit: AuditLog
    province: Province

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        caller: Identity | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        headers = {}
        if caller is not None:
            headers["x-parkgraph-identity"] = SIGNER.sign(caller, "registry")
        if token is not None:
            headers["x-parkgraph-identity"] = token
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


@pytest.fixture
async def gated(subgraph: Subgraph, tmp_path: Path) -> AsyncIterator[Gated]:
    audit = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")

    def context(request: Request) -> RegistryContext:
        return RegistryContext(request=request, client=subgraph.client)

    app = create_subgraph_app(
        SCHEMA,
        name="registry",
        context_factory=context,
        identity=IdentityVerifier(KEY, audience="registry"),
        audit=audit,
        purposes=("tax-inspection",),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry") as http:
        yield Gated(http, audit, subgraph.province)
    audit.close()


def other_city_enterprise(province: Province) -> str:
    return next(e.uscc for e in province.enterprises if e.city_code != "340100")


ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc name } } }"


@pytest.mark.parametrize(
    "query",
    ["{ _service { sdl } }", ENTITIES, "{ province { name } }"],
    ids=["_service", "_entities", "root field"],
)
async def test_unsigned_calls_are_refused(gated: Gated, query: str) -> None:
    variables = {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]}
    response = await gated.post(query, variables)
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "message": "missing x-parkgraph-identity: subgraphs answer only calls signed by the gateway",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }


async def test_forged_and_misaddressed_identities_are_refused(gated: Gated) -> None:
    forged = IdentitySigner(b"not-the-gateway-key-000000000000000").sign(identity("province"), "registry")
    elsewhere = SIGNER.sign(identity("province"), "talent")
    for token, message in ((forged, "invalid or forged"), (elsewhere, "addressed to 'talent'")):
        response = await gated.post("{ _service { sdl } }", token=token)
        assert response.status_code == 401 and message in response.json()["errors"][0]["message"]


async def test_a_city_never_sees_another_citys_enterprise_by_field(gated: Gated) -> None:
    city = identity("city:340100")
    query = "query($u: USCC!) { enterprise(uscc: $u) { uscc name } }"
    own = (await gated.post(query, {"u": SHOWCASE_USCC}, caller=city)).json()
    assert own["data"]["enterprise"]["uscc"] == SHOWCASE_USCC
    foreign = other_city_enterprise(gated.province)
    refused = (await gated.post(query, {"u": foreign}, caller=city)).json()
    assert refused["data"] == {"enterprise": None}
    error = refused["errors"][0]
    assert error["path"] == ["enterprise"] and error["extensions"]["code"] == "FORBIDDEN"
    assert error["message"] == f"enterprise {foreign} is outside your tenant city:340100"


async def test_a_city_never_sees_another_citys_enterprise_by_entities(gated: Gated) -> None:
    foreign = other_city_enterprise(gated.province)
    representations = [{"__typename": "Enterprise", "uscc": u} for u in (SHOWCASE_USCC, foreign)]
    body = (await gated.post(ENTITIES, {"r": representations}, caller=identity("city:340100"))).json()
    assert body["data"]["_entities"][0]["uscc"] == SHOWCASE_USCC and body["data"]["_entities"][1] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["_entities", 1], "FORBIDDEN")]


LIST = "{ enterprises(first: 100) { totalCount edges { node { uscc park { code } city { code } } } } }"


async def test_lists_are_narrowed_to_the_tenant(gated: Gated) -> None:
    province = gated.province
    city = (await gated.post(LIST, caller=identity("city:340100"))).json()["data"]["enterprises"]
    assert city["totalCount"] == sum(1 for e in province.enterprises if e.city_code == "340100")
    assert city["edges"] and {edge["node"]["city"]["code"] for edge in city["edges"]} == {"340100"}
    park = (await gated.post(LIST, caller=identity("park:340100-HTZ"))).json()["data"]["enterprises"]
    assert {edge["node"]["park"]["code"] for edge in park["edges"]} == {"340100-HTZ"}
    own = (await gated.post(LIST, caller=identity(f"enterprise:{SHOWCASE_USCC}"))).json()["data"]["enterprises"]
    assert own["totalCount"] == 1 and own["edges"][0]["node"]["uscc"] == SHOWCASE_USCC
    # asking for another city's list explicitly gives an empty page, not their rows
    other = '{ enterprises(filter: {cityCode: "340200"}) { totalCount edges { node { uscc } } } }'
    assert (await gated.post(other, caller=identity("city:340100"))).json()["data"]["enterprises"] == {
        "totalCount": 0,
        "edges": [],
    }
    everything = (await gated.post(LIST, caller=identity("province"))).json()["data"]["enterprises"]
    assert everything["totalCount"] == len(province.enterprises)


PERSONAL = "query($u: USCC!) { enterprise(uscc: $u) { legalRepresentative contactPhone } }"


async def test_personal_data_is_masked_without_scope_and_purpose(gated: Gated) -> None:
    for caller in (
        identity("province"),  # no pii:read
        identity("province", "graph:read", "pii:read"),  # no purpose
        identity("province", "graph:read", "pii:read", purpose="curiosity"),  # purpose not on the list
    ):
        body = (await gated.post(PERSONAL, {"u": SHOWCASE_USCC}, caller=caller)).json()
        assert body["data"]["enterprise"] == {"legalRepresentative": "王*", "contactPhone": "139****0001"}
    assert gated.audit.verify().records == 0


async def test_unmasked_with_scope_and_purpose_and_every_read_audited(gated: Gated) -> None:
    caller = identity("city:340100", "graph:read", "pii:read", purpose="tax-inspection")
    body = (await gated.post(PERSONAL, {"u": SHOWCASE_USCC}, caller=caller)).json()
    enterprise = body["data"]["enterprise"]
    assert "*" not in enterprise["legalRepresentative"] and enterprise["contactPhone"] == "13905510001"
    await gated.post(PERSONAL, {"u": SHOWCASE_USCC}, caller=caller)
    records = gated.audit.records()
    assert len(records) == 2 and gated.audit.verify().ok
    record = records[0]
    assert (record.subject, record.client_id, record.tenant, record.purpose, record.subgraph) == (
        "someone",
        "demo-client",
        "city:340100",
        "tax-inspection",
        "registry",
    )
    assert json.loads(record.entity_ids) == [f"Enterprise:{SHOWCASE_USCC}"]
    assert json.loads(record.kinds) == ["name", "phone"] and len(record.operation_hash) == 64


async def test_no_audit_record_no_unmasked_answer(subgraph: Subgraph) -> None:
    broken = AuditLog("sqlite:////proc/no-such-dir/audit.db")  # cannot be created

    def context(request: Request) -> RegistryContext:
        return RegistryContext(request=request, client=subgraph.client)

    app = create_subgraph_app(
        SCHEMA,
        name="registry",
        context_factory=context,
        identity=IdentityVerifier(KEY, audience="registry"),
        audit=broken,
        purposes=("tax-inspection",),
    )
    caller = identity("province", "graph:read", "pii:read", purpose="tax-inspection")
    headers = {"x-parkgraph-identity": SIGNER.sign(caller, "registry")}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry") as http:
        body = (
            await http.post("/graphql", json={"query": PERSONAL, "variables": {"u": SHOWCASE_USCC}}, headers=headers)
        ).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "13905510001" not in json.dumps(body)
