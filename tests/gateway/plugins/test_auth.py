"""The auth plugin in the gateway: token refusals (401 with a reason), @authenticated/@requiresScopes/@policy
and public-only anonymous access (null + error at the path, the rest served), and the signed identity each
subgraph receives. Subgraphs are stand-ins behind the gateway's transport; the JWKS is an httpx.MockTransport."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import build_schema, graphql_sync
from joserfc import jwt
from joserfc.jwk import ECKey

from auth.identity import IdentitySigner, IdentityVerifier
from auth.verify import TokenVerifier
from gateway.http import create_app
from gateway.plugins.auth import AuthPlugin
from gateway.subgraph.client import RawResponse
from gateway.supergraph import load_supergraph

ISSUER = "http://auth.test"
KEY = ECKey.generate_key("P-256", parameters={"kid": "k1"})
IDENTITY_KEY = b"gateway-test-identity-key-0123456789"

SUBGRAPH_SDL = """
type Query {
  province: Province!
  enterprise(uscc: String!): Enterprise
  enterprises: [Enterprise!]!
  auditTrail: String
}
type Mutation { approve(id: ID!): Boolean }
type Province { code: ID! name: String! }
type Enterprise { uscc: String! name: String! contactPhone: String secret: String! }
"""

# One subgraph with @authenticated, @requiresScopes and @policy, as Apollo composition writes them.
SUPERGRAPH = (Path(__file__).parent / "auth_supergraph.graphql").read_text(encoding="utf-8")

ROOT = {
    "province": {"code": "340000", "name": "安徽省"},
    "enterprise": {"uscc": "U1", "name": "合肥智园", "contactPhone": "13905510001", "secret": "s"},
    "enterprises": [
        {"uscc": "U1", "name": "合肥智园", "contactPhone": "13905510001", "secret": "s"},
        {"uscc": "U2", "name": "芜湖", "contactPhone": "13905510002", "secret": "t"},
    ],
    "auditTrail": "trail",
    "approve": True,
}


class FakeSubgraph:
    """Executes what the gateway sends against the plain subgraph schema; keeps every request."""

    def __init__(self) -> None:
        self.schema = build_schema(SUBGRAPH_SDL)
        self.requests: list[tuple[dict[str, Any], Mapping[str, str]]] = []

    async def __call__(self, url: str, body: bytes, headers: Mapping[str, str], time_limit: float) -> RawResponse:
        payload = orjson.loads(body)
        self.requests.append((payload, dict(headers)))
        result = graphql_sync(self.schema, payload["query"], root_value=ROOT, variable_values=payload.get("variables"))
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        return RawResponse(200, "application/json", orjson.dumps(answer))


def jwks(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"keys": [{**KEY.as_dict(private=False), "kid": "k1"}]})


def token(scope: str = "graph:read", tenant: str = "city:340100", **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "city-staff",
        "aud": "parkgraph",
        "iat": now,
        "exp": now + 600,
        "jti": "j1",
        "client_id": "demo-frontend",
        "scope": scope,
        "tenant": tenant,
        **overrides,
    }
    return jwt.encode({"alg": "ES256", "typ": "at+jwt", "kid": "k1"}, claims, KEY, algorithms=["ES256"])


class Gateway:
    def __init__(self, http: httpx.AsyncClient, subgraph: FakeSubgraph) -> None:
        self.http = http
        self.subgraph = subgraph

    async def query(self, query: str, bearer: str | None = None, **headers: str) -> httpx.Response:
        sent = {"accept": "application/graphql-response+json", **headers}
        if bearer is not None:
            sent["authorization"] = f"Bearer {bearer}"
        return await self.http.post("/graphql", json={"query": query}, headers=sent)


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    supergraph = load_supergraph(SUPERGRAPH)
    verifier = TokenVerifier(
        jwks_url=f"{ISSUER}/jwks.json", issuer=ISSUER, audience="parkgraph", transport=httpx.MockTransport(jwks)
    )
    plugin = AuthPlugin.for_supergraph(supergraph, verifier, IdentitySigner(IDENTITY_KEY))
    subgraph = FakeSubgraph()
    app = create_app(SUPERGRAPH, plugins=[plugin], transport=subgraph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as http:
        yield Gateway(http, subgraph)
    await verifier.aclose()


REFUSED_TOKENS = [
    ("expired", lambda: token(exp=int(time.time()) - 300, iat=int(time.time()) - 1000), "token_expired"),
    ("wrong issuer", lambda: token(iss="http://evil.test"), "wrong_issuer"),
    ("wrong audience", lambda: token(aud="another-api"), "wrong_audience"),
    (
        "alg none",
        lambda: "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0." + token().split(".")[1] + ".",
        "unsupported_algorithm",
    ),
    ("garbage", lambda: "not-a-jwt", "malformed_token"),
]


@pytest.mark.parametrize(("case", "make", "reason"), REFUSED_TOKENS, ids=[r[0] for r in REFUSED_TOKENS])
async def test_an_invalid_token_is_401_with_its_reason(gateway: Gateway, case: str, make: Any, reason: str) -> None:
    response = await gateway.query("{ province { name } }", make())
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer realm="parkgraph", error="invalid_token"')
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}
    assert gateway.subgraph.requests == []


async def test_tampered_claims_fail_the_signature(gateway: Gateway) -> None:
    header, _payload, signature = token().split(".")
    forged_payload = token(scope="graph:read pii:read", tenant="province").split(".")[1]
    response = await gateway.query("{ province { name } }", f"{header}.{forged_payload}.{signature}")
    assert response.status_code == 401 and response.json()["errors"][0]["extensions"]["reason"] == "bad_signature"


async def test_anonymous_gets_public_fields_only(gateway: Gateway) -> None:
    response = await gateway.query('{ province { name } enterprise(uscc: "U1") { name } }')
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"province": {"name": "安徽省"}, "enterprise": None}
    assert body["errors"] == [
        {
            "message": "Query.enterprise is not public: send an access token",
            "path": ["enterprise"],
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
    # the subgraph was never asked for the enterprise
    assert "enterprise" not in gateway.subgraph.requests[0][0]["query"]


async def test_unauthorized_field_is_null_with_forbidden_and_the_rest_is_served(gateway: Gateway) -> None:
    response = await gateway.query("{ enterprises { uscc name contactPhone } }", token("graph:read"))
    body = response.json()
    assert body["data"] == {
        "enterprises": [
            {"uscc": "U1", "name": "合肥智园", "contactPhone": None},
            {"uscc": "U2", "name": "芜湖", "contactPhone": None},
        ]
    }
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["enterprises", 0, "contactPhone"], "FORBIDDEN"),
        (["enterprises", 1, "contactPhone"], "FORBIDDEN"),
    ]
    assert body["errors"][0]["message"] == "Enterprise.contactPhone requires the scope pii:read or graph:admin"
    assert "contactPhone" not in gateway.subgraph.requests[0][0]["query"]


async def test_with_the_scope_the_field_is_served(gateway: Gateway) -> None:
    body = (await gateway.query("{ enterprises { contactPhone } }", token("graph:read pii:read"))).json()
    assert "errors" not in body and body["data"]["enterprises"][0]["contactPhone"] == "13905510001"


async def test_a_denied_non_null_field_nulls_its_nullable_parent(gateway: Gateway) -> None:
    body = (await gateway.query('{ enterprise(uscc: "U1") { name secret } province { code } }', token())).json()
    assert body["data"] == {"enterprise": None, "province": {"code": "340000"}}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["enterprise", "secret"], "FORBIDDEN")]


async def test_policy_on_the_tenant(gateway: Gateway) -> None:
    city = (await gateway.query("{ auditTrail }", token())).json()
    assert city == {
        "data": {"auditTrail": None},
        "errors": [
            {
                "message": "Query.auditTrail requires the policy tenant:province",
                "path": ["auditTrail"],
                "extensions": {"code": "FORBIDDEN"},
            }
        ],
    }
    province = (await gateway.query("{ auditTrail }", token(tenant="province"))).json()
    assert province == {"data": {"auditTrail": "trail"}}


async def test_an_unauthorized_mutation_does_not_run(gateway: Gateway) -> None:
    body = (await gateway.query('mutation { approve(id: "1") }', token("graph:read"))).json()
    assert body["data"] == {"approve": None} and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gateway.subgraph.requests == [] or all("approve" not in r[0]["query"] for r in gateway.subgraph.requests)
    allowed = (await gateway.query('mutation { approve(id: "1") }', token("graph:write"))).json()
    assert allowed == {"data": {"approve": True}}


async def test_fragments_and_aliases_are_authorized_too(gateway: Gateway) -> None:
    query = "{ list: enterprises { ...E } } fragment E on Enterprise { id: uscc phone: contactPhone }"
    body = (await gateway.query(query, token("graph:read"))).json()
    assert body["data"]["list"][0] == {"id": "U1", "phone": None}
    assert body["errors"][0]["path"] == ["list", 0, "phone"]


async def test_subgraphs_receive_a_signed_identity_with_tenant_scopes_and_purpose(gateway: Gateway) -> None:
    await gateway.query("{ province { name } }", token("graph:read pii:read"), **{"x-purpose": "tax-inspection"})
    _payload, headers = gateway.subgraph.requests[-1]
    identity = IdentityVerifier(IDENTITY_KEY, audience="registry").verify(headers["x-parkgraph-identity"])
    assert identity.subject == "city-staff" and identity.client_id == "demo-frontend"
    assert str(identity.tenant) == "city:340100" and identity.scopes == {"graph:read", "pii:read"}
    assert identity.purpose == "tax-inspection"
    # anonymous callers are vouched for as anonymous
    await gateway.query("{ province { name } }")
    anonymous = IdentityVerifier(IDENTITY_KEY, audience="registry").verify(
        gateway.subgraph.requests[-1][1]["x-parkgraph-identity"]
    )
    assert anonymous.anonymous and anonymous.tenant is None


async def test_variables_and_fragments_only_the_denied_fields_used_are_dropped(gateway: Gateway) -> None:
    query = """query($u: String!) { province { ...P } enterprise(uscc: $u) { ...E } }
    fragment P on Province { name } fragment E on Enterprise { name }"""
    response = await gateway.http.post(
        "/graphql", json={"query": query, "variables": {"u": "U1"}}, headers={"accept": "application/json"}
    )
    body = response.json()
    assert body["data"] == {"province": {"name": "安徽省"}, "enterprise": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_a_selection_left_empty_keeps_its_object_without_the_placeholder(gateway: Gateway) -> None:
    body = (await gateway.query('{ enterprise(uscc: "U1") { contactPhone } }', token())).json()
    assert body["data"] == {"enterprise": {"contactPhone": None}}
    assert "_authPlaceholder" in gateway.subgraph.requests[0][0]["query"]
