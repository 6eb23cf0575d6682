"""Auth end to end: the auth server, the gateway with the auth plugin, and the registry subgraph behind its
identity gate over real HTTP; tokens from client credentials, tenancy by field, masking, audit and its check."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from adapters.registry import RegistryClient
from auth.identity import IdentitySigner, IdentityVerifier
from auth.verify import TokenVerifier
from gateway.http import create_app as create_gateway
from gateway.plugins.auth import AuthPlugin
from gateway.supergraph import load_supergraph
from mocks.data.province import SHOWCASE_USCC, Province, generate
from mocks.faults import Faults
from mocks.registry.app import create_app as create_mock
from parkgraph.cli import main
from subgraphs.common import create_subgraph_app
from subgraphs.common.audit import AuditLog
from subgraphs.registry.app import create_schema
from subgraphs.registry.context import RegistryContext
from tests.auth.conftest import AuthServer, client_credentials, start_auth_server
from tests.support.federation import asgi_lifespan
from tests.support.live_server import live_server

REPO = Path(__file__).resolve().parents[2]
KEY = b"end-to-end-identity-key-0123456789ab"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthServer]:
    yield from start_auth_server(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'auth.db'}")


@dataclass
class Stack:
    gateway: httpx.AsyncClient
    auth: httpx.AsyncClient
    subgraph_url: str
    audit: AuditLog
    audit_url: str
    province: Province

    async def token(self, client_id: str, scope: str) -> str:
        response = await client_credentials(self.auth, client_id, scope)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    async def query(self, query: str, variables: dict[str, Any], token: str | None = None, **headers: str) -> Any:
        sent = dict(headers)
        if token is not None:
            sent["authorization"] = f"Bearer {token}"
        response = await self.gateway.post("/graphql", json={"query": query, "variables": variables}, headers=sent)
        body = response.json()
        assert "data" in body, body
        return body


@pytest.fixture
async def stack(auth_server: AuthServer, tmp_path: Path) -> AsyncIterator[Stack]:
    province = generate(seed=2026, scale=0.1)
    audit_url = f"sqlite:///{tmp_path / 'audit.db'}"
    audit = AuditLog(audit_url)
    legacy = httpx.ASGITransport(app=create_mock(province, Faults()))
    async with RegistryClient("http://registry", transport=legacy) as client:

        def context(request: Request) -> RegistryContext:
            return RegistryContext(request=request, client=client)

        registry = create_subgraph_app(
            create_schema(),
            name="registry",
            context_factory=context,
            identity=IdentityVerifier(KEY, audience="registry"),
            audit=audit,
        )
        async with live_server(registry) as registry_url:
            sdl = (REPO / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
            sdl = sdl.replace("http://127.0.0.1:4101/graphql", f"{registry_url}/graphql")
            verifier = TokenVerifier(
                jwks_url=f"{auth_server.url}/jwks.json", issuer=auth_server.url, audience="parkgraph"
            )
            plugin = AuthPlugin.for_supergraph(load_supergraph(sdl), verifier, IdentitySigner(KEY))
            gateway_app = create_gateway(sdl, plugins=[plugin])
            async with (
                asgi_lifespan(gateway_app, {}),  # closes the gateway's subgraph client at the end
                httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway_app), base_url="http://gw") as gateway,
                httpx.AsyncClient(base_url=auth_server.url) as auth,
            ):
                yield Stack(gateway, auth, f"{registry_url}/graphql", audit, audit_url, province)
            await verifier.aclose()
    audit.close()


ENTERPRISE = "query($u: USCC!) { enterprise(uscc: $u) { uscc name legalRepresentative contactPhone } }"


async def test_a_city_token_sees_its_city_and_not_another_by_field(stack: Stack) -> None:
    token = await stack.token("demo-city", "graph:read")
    own = await stack.query(ENTERPRISE, {"u": SHOWCASE_USCC}, token)
    assert "errors" not in own and own["data"]["enterprise"]["uscc"] == SHOWCASE_USCC
    assert own["data"]["enterprise"]["contactPhone"] == "139****0001"  # masked by default
    foreign = next(e.uscc for e in stack.province.enterprises if e.city_code != "340100")
    refused = await stack.query(ENTERPRISE, {"u": foreign}, token)
    assert refused["data"] == {"enterprise": None}
    assert refused["errors"][0]["path"] == ["enterprise"]
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused["errors"][0]["message"] == f"enterprise {foreign} is outside your tenant city:340100"


async def test_an_enterprise_token_lists_only_itself(stack: Stack) -> None:
    token = await stack.token("demo-enterprise", "graph:read")
    body = await stack.query("{ enterprises(first: 50) { totalCount edges { node { uscc } } } }", {}, token)
    assert body["data"]["enterprises"] == {"totalCount": 1, "edges": [{"node": {"uscc": SHOWCASE_USCC}}]}


async def test_anonymous_callers_get_public_fields_only(stack: Stack) -> None:
    body = await stack.query(
        "query($u: USCC!) { province { name } enterprise(uscc: $u) { name } }", {"u": SHOWCASE_USCC}
    )
    assert body["data"] == {"province": {"name": "安徽省"}, "enterprise": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["enterprise"], "UNAUTHENTICATED")]


async def test_unmasked_with_scope_and_purpose_audited_and_verify_catches_an_edit(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await stack.token("demo-city", "graph:read pii:read")
    masked = await stack.query(ENTERPRISE, {"u": SHOWCASE_USCC}, token)  # scope but no purpose
    assert masked["data"]["enterprise"]["contactPhone"] == "139****0001"
    assert stack.audit.verify().records == 0
    unmasked = await stack.query(ENTERPRISE, {"u": SHOWCASE_USCC}, token, **{"x-purpose": "tax-inspection"})
    assert unmasked["data"]["enterprise"]["contactPhone"] == "13905510001"
    [record] = stack.audit.records()
    assert (record.subject, record.client_id, record.tenant, record.purpose) == (
        "demo-city",
        "demo-city",
        "city:340100",
        "tax-inspection",
    )
    assert json.loads(record.entity_ids) == [f"Enterprise:{SHOWCASE_USCC}"] and record.request_id
    assert main(["audit", "verify", "--database-url", stack.audit_url]) == 0
    capsys.readouterr()
    with stack.audit.engine.connect() as connection:
        connection.exec_driver_sql("UPDATE pii_audit_log SET purpose = 'law-enforcement' WHERE seq = 1")
        connection.commit()
    assert main(["audit", "verify", "--database-url", stack.audit_url]) == 1
    assert "#1: content does not match its hash (edited)" in capsys.readouterr().out


async def test_a_direct_call_to_the_subgraph_without_the_gateways_signature_is_refused(stack: Stack) -> None:
    token = await stack.token("demo-province", "graph:read")
    async with httpx.AsyncClient() as http:
        # even with a valid access token: subgraphs trust only the gateway's signature
        entities = {
            "query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { name } } }",
            "variables": {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]},
        }
        response = await http.post(stack.subgraph_url, json=entities, headers={"authorization": f"Bearer {token}"})
        service = await http.post(stack.subgraph_url, json={"query": "{ _service { sdl } }"})
    for refused in (response, service):
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
