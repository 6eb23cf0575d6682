"""Hefei's subgraph behind the gateway's signed identity, as the province's subgraphs: a direct unsigned call, a
forged one and one signed for another subgraph are refused before the city's legacy system is called."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from auth.identity import PROVINCE, Identity, IdentitySigner, IdentityVerifier, MissingIdentityKey
from gateway.registry.cli import _InputError, _sdl
from mocks.hefei_investment import create_app as create_mock
from subgraphs.city_hefei import SUBGRAPH_NAME, create_app
from tests.support.live_server import live_server

KEY = b"hefei-onboarding-identity-key-0123456789"  # what the province gives the city's data centre
CALLER = Identity("province-ops", "demo-province", PROVINCE, frozenset({"graph:read"}))
QUERY = "{ c340100_projects(stage: SIGNED) { code } }"


@pytest.fixture
async def hefei() -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    mock = create_mock()
    legacy = httpx.ASGITransport(app=mock)
    app = create_app(
        legacy_url="http://hefei-legacy",
        transport=legacy,
        identity=IdentityVerifier(KEY, audience=SUBGRAPH_NAME),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hefei") as http:
        yield http, mock


async def _post(http: httpx.AsyncClient, query: str, identity: str | None) -> httpx.Response:
    headers = {} if identity is None else {"x-parkgraph-identity": identity}
    return await http.post("/graphql", json={"query": query}, headers=headers)


@pytest.mark.parametrize(
    "identity",
    [
        None,  # a direct call around the gateway
        IdentitySigner(b"not-the-province-key-0000000000000000").sign(CALLER, SUBGRAPH_NAME),  # forged
        IdentitySigner(KEY).sign(CALLER, "registry"),  # signed for another subgraph, replayed here
        "garbage",  # not a token at all
    ],
)
async def test_calls_the_gateway_did_not_sign_for_hefei_are_refused(
    hefei: tuple[httpx.AsyncClient, Starlette], identity: str | None
) -> None:
    http, mock = hefei
    for query in (QUERY, "{ _service { sdl } }"):
        refused = await _post(http, query, identity)
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert mock.state.calls == 0


async def test_a_call_the_gateway_signed_for_hefei_is_answered(hefei: tuple[httpx.AsyncClient, Starlette]) -> None:
    http, mock = hefei
    answer = await _post(http, QUERY, IdentitySigner(KEY).sign(CALLER, SUBGRAPH_NAME))
    assert answer.status_code == 200
    assert answer.json() == {"data": {"c340100_projects": [{"code": "HF2024-0047"}]}}
    assert mock.state.calls == 1


def test_without_the_onboarding_key_the_subgraph_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARKGRAPH_IDENTITY_KEY", raising=False)
    monkeypatch.delenv("PARKGRAPH_INSECURE_DEV_IDENTITY", raising=False)
    with pytest.raises(MissingIdentityKey):
        create_app(legacy_url="http://hefei-legacy")


async def test_the_registry_cli_fetches_the_sdl_signed_with_the_onboarding_key(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(legacy_url="http://hefei-legacy", identity=IdentityVerifier(KEY, audience=SUBGRAPH_NAME))
    args = argparse.Namespace(schema=None, schema_url=None, name=SUBGRAPH_NAME)
    async with live_server(app) as url:
        args.schema_url = f"{url}/graphql"
        monkeypatch.delenv("PARKGRAPH_IDENTITY_KEY", raising=False)
        with pytest.raises(_InputError, match="401"):
            await asyncio.to_thread(_sdl, args)
        monkeypatch.setenv("PARKGRAPH_IDENTITY_KEY", KEY.decode())
        sdl = await asyncio.to_thread(_sdl, args)
    assert "type C340100_Project" in sdl
