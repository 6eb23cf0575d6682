"""Without Redis, the registry's PostgreSQL announces new versions (NOTIFY) and gateways LISTEN: a city's publish
and a rollback reach every replica with polling far too slow to be what delivered them (real PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest

from gateway.registry.api import create_registry_app
from gateway.registry.follow import RegistryFollower
from gateway.registry.hotswap import SupergraphSwitch
from gateway.registry.listen import asyncpg_dsn, is_postgres
from gateway.registry.notify import PostgresNotifier
from gateway.registry.service import SchemaRegistry
from gateway.registry.store import RegistryStore
from tests.gateway.registry.conftest import POSTGRES_URL, drop_schema
from tests.gateway.registry.live import TokenMint, unique_channel
from tests.gateway.registry.servers import subgraph_specs
from tests.support.live_server import live_server
from tests.support.subgraph_kit import SubgraphGroup, serve_subgraphs
from tests.support.waiting import eventually

pytestmark = pytest.mark.postgres

CITY_QUERY = "{ c340100_projects { id } }"


@asynccontextmanager
async def _registry_on_postgres(channel: str) -> AsyncIterator[tuple[str, TokenMint]]:
    schema = f"registry_test_{uuid.uuid4().hex[:12]}"
    store = await RegistryStore.open(POSTGRES_URL, schema=schema)
    mint = TokenMint()
    verifier = mint.verifier()
    try:
        app = create_registry_app(SchemaRegistry(store, PostgresNotifier(store.engine, channel)), verifier)
        async with live_server(app) as url:
            yield url, mint
    finally:
        await verifier.aclose()
        await store.close()
        await drop_schema(schema)


@asynccontextmanager
async def _replica(registry: str, channel: str) -> AsyncIterator[tuple[str, SupergraphSwitch]]:
    switch = SupergraphSwitch()
    follower = RegistryFollower(registry, switch, database_url=POSTGRES_URL, channel=channel, poll_interval=60)
    app = await follower.start_app()
    await follower.start()
    try:
        await asyncio.wait_for(follower.subscribed.wait(), 5)
        async with live_server(app) as url:
            yield f"{url}/graphql", switch
    finally:
        await follower.stop()
        await switch.transport.close()  # type: ignore[attr-defined]


async def _publish(http: httpx.AsyncClient, registry: str, mint: TokenMint, servers: SubgraphGroup, name: str) -> int:
    who = ("province-ops", "province") if name == "registry" else ("hefei-centre", "city:340100")
    body = {"url": servers[name].url, "sdl": servers[name].spec.sdl}
    response = await http.put(f"{registry}/subgraphs/{name}", json=body, headers=mint.headers(*who))
    assert response.status_code == 200, response.text
    version: int = response.json()["version"]
    return version


async def test_publish_and_rollback_reach_every_replica_by_listen_notify() -> None:
    channel = unique_channel()  # this test's channel: parallel runs share the database
    async with (
        serve_subgraphs(subgraph_specs()) as servers,
        _registry_on_postgres(channel) as (registry, mint),
        httpx.AsyncClient(timeout=10) as http,
        AsyncExitStack() as stack,
    ):
        first = await _publish(http, registry, mint, servers, "registry")
        replicas = [await stack.enter_async_context(_replica(registry, channel)) for _ in range(2)]
        assert all(switch.version == first for _, switch in replicas)

        second = await _publish(http, registry, mint, servers, "city_340100_investment")
        await eventually(lambda: all(switch.version == second for _, switch in replicas), within=3)
        for gateway, _ in replicas:
            answer = await http.post(gateway, json={"query": CITY_QUERY})
            assert answer.json() == {"data": {"c340100_projects": [{"id": "P-1"}]}}

        rolled = await http.post(
            f"{registry}/rollback", json={"version": first}, headers=mint.headers("province-ops", "province")
        )
        assert rolled.status_code == 200
        await eventually(lambda: all(switch.version == rolled.json()["version"] for _, switch in replicas), within=3)
        for gateway, _ in replicas:
            gone = (await http.post(gateway, json={"query": CITY_QUERY})).json()
            assert gone["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("url", "postgres", "dsn"),
    [
        ("postgresql://u@h:5432/db", True, "postgresql://u@h:5432/db"),  # as written in settings
        ("postgresql+asyncpg://u@h/db", True, "postgresql://u@h/db"),  # SQLAlchemy's spelling, driver dropped
        ("postgres://u@h/db", True, "postgresql://u@h/db"),  # the short scheme
        ("sqlite:///var/dev/registry.db", False, "sqlite:///var/dev/registry.db"),  # no LISTEN on SQLite
    ],
)
def test_which_database_urls_can_listen(url: str, postgres: bool, dsn: str) -> None:
    assert is_postgres(url) is postgres
    assert asyncpg_dsn(url) == dsn


def test_redis_takes_precedence_over_postgres_and_sqlite_never_listens() -> None:
    both = RegistryFollower("http://r", SupergraphSwitch(), redis_url="redis://x", database_url=POSTGRES_URL)
    assert both.database_url is None and both.poll_interval == 30.0
    sqlite = RegistryFollower("http://r", SupergraphSwitch(), database_url="sqlite:///x.db")
    assert sqlite.database_url is None and sqlite.poll_interval == 5.0
    postgres = RegistryFollower("http://r", SupergraphSwitch(), database_url=POSTGRES_URL)
    assert postgres.database_url == POSTGRES_URL and postgres.poll_interval == 30.0
