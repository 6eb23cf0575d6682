"""Every refusal of the authorization server, each with its precise RFC 6749 error."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.auth.conftest import (
    REDIRECT_URI,
    AuthServer,
    client_credentials,
    login_for_code,
    pkce_pair,
    start_auth_server,
)


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthServer]:
    folder: Path = tmp_path_factory.mktemp("auth-refusals")
    yield from start_auth_server(f"sqlite:///{folder / 'auth.db'}")


@pytest.fixture
async def http(sqlite_server: AuthServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sqlite_server.url, timeout=10) as client:
        yield client


def authorize_params(**overrides: str) -> dict[str, str]:
    _, challenge = pkce_pair()
    params = {
        "response_type": "code",
        "client_id": "demo-frontend",
        "redirect_uri": REDIRECT_URI,
        "scope": "graph:read",
        "state": "st",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v != ""}


async def test_scope_not_granted_to_the_client(http: httpx.AsyncClient) -> None:
    response = await client_credentials(http, "demo-enterprise", "graph:read pii:read")
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_scope",
        "error_description": "scope pii:read is not granted to client demo-enterprise",
    }


async def test_unknown_scope(http: httpx.AsyncClient) -> None:
    response = await client_credentials(http, "demo-province", "graph:admin")
    assert response.json() == {"error": "invalid_scope", "error_description": "unknown scope graph:admin"}


async def test_wrong_client_secret(http: httpx.AsyncClient) -> None:
    response = await client_credentials(http, "demo-city", "graph:read", secret="demo-province-secret")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


async def test_pkce_verifier_mismatch(http: httpx.AsyncClient) -> None:
    _, challenge = pkce_pair()
    code = await login_for_code(http, "city-staff", challenge=challenge)
    other_verifier, _ = pkce_pair()
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": "demo-frontend",
        "code_verifier": other_verifier,
    }
    response = await http.post("/token", data=data)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "Code challenge failed."}


async def test_pkce_is_required_and_only_s256(http: httpx.AsyncClient) -> None:
    missing = await http.get("/authorize", params=authorize_params(code_challenge="", code_challenge_method=""))
    plain = await http.get("/authorize", params=authorize_params(code_challenge_method="plain"))
    # the redirect URI is registered, so the client hears about it on its redirect (RFC 6749 §4.1.2.1)
    for response, description in (
        (missing, "PKCE+is+required"),
        (plain, "code_challenge_method+must+be+S256"),
    ):
        assert response.status_code == 302
        location = response.headers["location"]
        assert location.startswith(REDIRECT_URI) and "error=invalid_request" in location and description in location


async def test_redirect_uri_not_registered_is_never_redirected_to(http: httpx.AsyncClient) -> None:
    response = await http.get("/authorize", params=authorize_params(redirect_uri="https://evil.example/cb"))
    assert response.status_code == 400 and "location" not in response.headers
    assert "invalid_request" in response.text and "evil.example" not in response.headers.get("location", "")
    posted = await http.post(
        "/authorize",
        data={**authorize_params(redirect_uri="https://evil.example/cb"), "username": "city-staff", "password": "x"},
    )
    assert posted.status_code == 400 and "location" not in posted.headers


async def test_unknown_client_on_the_login_page(http: httpx.AsyncClient) -> None:
    response = await http.get("/authorize", params=authorize_params(client_id="nobody"))
    assert response.status_code == 400 and "invalid_client" in response.text


async def test_wrong_password_shows_the_login_page_again(http: httpx.AsyncClient) -> None:
    params = authorize_params()
    response = await http.post("/authorize", data={**params, "username": "city-staff", "password": "guess"})
    assert response.status_code == 401 and "Wrong username or password." in response.text
    assert "location" not in response.headers


async def test_refresh_token_of_another_client_or_unknown(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/token", data={"grant_type": "refresh_token", "refresh_token": "nope", "client_id": "demo-frontend"}
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


async def test_client_not_allowed_a_grant_type(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/token",
        data={"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT_URI},
        auth=("demo-city", "demo-city-secret"),
    )
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"


def test_demo_clients_are_refused_outside_dev_mode(tmp_path: Path) -> None:
    # Seed in dev mode, then serve the same database in production mode.
    for _ in start_auth_server(f"sqlite:///{tmp_path / 'auth.db'}"):
        pass
    for server in start_auth_server(f"sqlite:///{tmp_path / 'auth.db'}", dev_mode=False):
        with httpx.Client(base_url=server.url) as http:
            response = http.post(
                "/token", data={"grant_type": "client_credentials"}, auth=("demo-city", "demo-city-secret")
            )
            assert response.status_code == 401 and response.json()["error"] == "invalid_client"
