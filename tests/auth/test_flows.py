"""End to end over HTTP, by the RFCs: client credentials, code + PKCE through the login page, refresh
rotation, revocation, introspection, metadata and JWKS, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from auth.verify import TokenVerifier
from tests.auth.conftest import REDIRECT_URI, AuthServer, client_credentials, login_for_code, pkce_pair


@pytest.fixture
async def http(auth_server: AuthServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=auth_server.url, timeout=10) as client:
        yield client


def verifier_for(server: AuthServer) -> TokenVerifier:
    return TokenVerifier(jwks_url=f"{server.url}/jwks.json", issuer=server.url, audience="parkgraph")


async def exchange_code(http: httpx.AsyncClient, code: str, verifier: str) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": "demo-frontend",
        "code_verifier": verifier,
    }
    return await http.post("/token", data=data)


async def test_client_credentials_token_is_an_rfc9068_jwt_with_the_clients_tenant(
    auth_server: AuthServer, http: httpx.AsyncClient
) -> None:
    response = await client_credentials(http, "demo-city", "graph:read pii:read")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    token = response.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 900 and "refresh_token" not in token
    verifier = verifier_for(auth_server)
    claims = await verifier.verify(token["access_token"])
    await verifier.aclose()
    assert claims["tenant"] == "city:340100" and claims["sub"] == "demo-city" == claims["client_id"]
    assert claims["scope"] == "graph:read pii:read" and claims["aud"] == "parkgraph"
    assert claims["iss"] == auth_server.url and claims["exp"] - claims["iat"] == 900 and claims["jti"]


async def test_every_demo_client_gets_its_tenant(auth_server: AuthServer, http: httpx.AsyncClient) -> None:
    expected = {
        "demo-province": "province",
        "demo-city": "city:340100",
        "demo-park": "park:340100-HTZ",
        "demo-enterprise": "enterprise:91340100MA2NJ8U32D",
        "demo-third-party": "province",
    }
    verifier = verifier_for(auth_server)
    for client_id, tenant in expected.items():
        response = await client_credentials(http, client_id, "graph:read")
        assert response.status_code == 200, (client_id, response.text)
        assert (await verifier.verify(response.json()["access_token"]))["tenant"] == tenant
    await verifier.aclose()


async def test_code_flow_with_pkce_through_the_login_page(auth_server: AuthServer, http: httpx.AsyncClient) -> None:
    code_verifier, challenge = pkce_pair()
    code = await login_for_code(http, "park-staff", scope="graph:read pii:read offline_access", challenge=challenge)
    response = await exchange_code(http, code, code_verifier)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["refresh_token"]
    verifier = verifier_for(auth_server)
    claims = await verifier.verify(token["access_token"])
    await verifier.aclose()
    assert claims["sub"] == "park-staff" and claims["client_id"] == "demo-frontend"
    assert claims["tenant"] == "park:340100-HTZ"
    # the park's staff do not hold pii:read, so the user could not grant it
    assert claims["scope"] == "graph:read offline_access"
    # a code is single use
    again = await exchange_code(http, code, code_verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_family(http: httpx.AsyncClient) -> None:
    code_verifier, challenge = pkce_pair()
    first = (
        await exchange_code(http, await login_for_code(http, "city-staff", challenge=challenge), code_verifier)
    ).json()
    refresh = {"grant_type": "refresh_token", "client_id": "demo-frontend"}
    second = await http.post("/token", data={**refresh, "refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"] and rotated["access_token"] != first["access_token"]
    # the first refresh token again: reuse, so the whole family is revoked…
    reused = await http.post("/token", data={**refresh, "refresh_token": first["refresh_token"]})
    assert reused.status_code == 400
    assert reused.json() == {
        "error": "invalid_grant",
        "error_description": "refresh token reuse detected: every token of this grant is now revoked",
    }
    # …including the token that replaced it
    after = await http.post("/token", data={**refresh, "refresh_token": rotated["refresh_token"]})
    assert after.json() == {"error": "invalid_grant", "error_description": "refresh token has been revoked"}


async def test_revocation_of_refresh_and_access_tokens(http: httpx.AsyncClient) -> None:
    code_verifier, challenge = pkce_pair()
    code = await login_for_code(http, "enterprise-staff", challenge=challenge)
    token = (await exchange_code(http, code, code_verifier)).json()
    public = {"client_id": "demo-frontend"}
    revoked = await http.post("/revoke", data={**public, "token": token["refresh_token"]})
    assert revoked.status_code == 200
    refreshed = await http.post(
        "/token", data={**public, "grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    )
    assert refreshed.json() == {"error": "invalid_grant", "error_description": "refresh token has been revoked"}
    # an access token: introspection says active, then inactive once revoked (RFC 7009 §2, RFC 7662 §2.2)
    before = await http.post("/introspect", data={**public, "token": token["access_token"]})
    assert before.json()["active"] is True
    assert (await http.post("/revoke", data={**public, "token": token["access_token"]})).status_code == 200
    after = await http.post("/introspect", data={**public, "token": token["access_token"]})
    assert after.json() == {"active": False}
    # revoking an unknown token is not an error (RFC 7009 §2.2)
    assert (await http.post("/revoke", data={**public, "token": "no-such-token"})).status_code == 200


async def test_introspection_reports_claims_to_the_owner_only(http: httpx.AsyncClient) -> None:
    token = (await client_credentials(http, "demo-park", "graph:read")).json()["access_token"]
    own = await http.post("/introspect", data={"token": token}, auth=("demo-park", "demo-park-secret"))
    body = own.json()
    assert body["active"] is True and body["client_id"] == "demo-park" and body["tenant"] == "park:340100-HTZ"
    assert body["scope"] == "graph:read" and body["token_type"] == "Bearer"
    other = await http.post("/introspect", data={"token": token}, auth=("demo-city", "demo-city-secret"))
    assert other.json() == {"active": False}
    anonymous = await http.post("/introspect", data={"token": token})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    garbage = await http.post("/introspect", data={"token": "x.y.z"}, auth=("demo-park", "demo-park-secret"))
    assert garbage.json() == {"active": False}


async def test_metadata_discovery_and_jwks(auth_server: AuthServer, http: httpx.AsyncClient) -> None:
    metadata = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["issuer"] == auth_server.url
    assert metadata["token_endpoint"] == f"{auth_server.url}/token"
    assert metadata["jwks_uri"] == f"{auth_server.url}/jwks.json"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert {"authorization_code", "client_credentials", "refresh_token"} == set(metadata["grant_types_supported"])
    assert "pii:read" in metadata["scopes_supported"]
    assert (await http.get("/.well-known/openid-configuration")).json() == metadata
    keys = (await http.get("/jwks.json")).json()["keys"]
    assert keys and all(k["kty"] == "EC" and k["alg"] == "ES256" and k["kid"] and "d" not in k for k in keys)
