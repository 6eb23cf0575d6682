"""What a hot reload keeps and what it replaces: plugin state (Redis connections, rate-limit buckets) survives
many reloads, ``/ready`` probes the subgraphs of the supergraph served now, replaced plugins get closed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import redis.asyncio as redis_asyncio

from gateway.pipeline.types import Plugin
from gateway.plugins.setup import GatewayPlugins, open_traffic
from gateway.registry.hotswap import SupergraphSwitch
from gateway.supergraph.compose.pipeline import SubgraphSource, compose
from gateway.supergraph.model import Supergraph
from tests.gateway.plugins.helpers import HeaderIdentity
from tests.gateway.registry.servers import subgraph_specs
from tests.support.live_server import live_server
from tests.support.redis import delete_prefix, redis_url, unique_prefix
from tests.support.subgraph_kit import SubgraphGroup, serve_subgraphs

QUERY = "{ __typename }"  # enough to pass the rate limiter; no subgraph needed


def _supergraph(servers: SubgraphGroup, *names: str, urls: dict[str, str] | None = None) -> str:
    sources = [SubgraphSource(n, (urls or {}).get(n, servers[n].url), servers[n].spec.sdl) for n in names]
    result = compose(sources)
    assert result.supergraph_sdl is not None, result.errors
    return result.supergraph_sdl


@asynccontextmanager
async def _gateway(switch: SupergraphSwitch, sdl: str) -> AsyncIterator[str]:
    app = switch.start(sdl, 1)
    try:
        async with live_server(app) as url:
            yield url
    finally:
        await switch.close()
        await switch.transport.close()  # type: ignore[attr-defined]


async def _connections_named(name: str) -> int:
    client = redis_asyncio.Redis.from_url(redis_url())
    try:
        listed = await client.client_list()
    finally:
        await client.aclose()
    return sum(1 for entry in listed if entry.get("name") == name)


async def test_many_reloads_share_one_redis_connection_and_shutdown_closes_it() -> None:
    name = f"pg-reload-{uuid.uuid4().hex[:10]}"  # this test's connections, among everyone's on the shared Redis
    prefix = unique_prefix()
    separator = "&" if "?" in redis_url() else "?"
    env = {
        "REDIS_URL": f"{redis_url()}{separator}client_name={name}",
        "PARKGRAPH_REDIS_PREFIX": prefix,
        # A rate limit with leases of one token: every request takes from the bucket in Redis.
        "PARKGRAPH_RATE_LIMITS": "class.anonymous=1000/min:1000",
    }
    plugins = GatewayPlugins(open_traffic(None, env), outer=[HeaderIdentity()])
    try:
        async with serve_subgraphs(subgraph_specs()) as servers, httpx.AsyncClient(timeout=10) as http:
            versions = [_supergraph(servers, "registry"), _supergraph(servers, "registry", "city_340100_investment")]
            switch = SupergraphSwitch(plugins_for=plugins)
            async with _gateway(switch, versions[0]) as url:
                for version in range(2, 22):
                    await switch.install(versions[version % 2], version)
                    answer = await http.post(f"{url}/graphql", json={"query": QUERY})
                    assert answer.json() == {"data": {"__typename": "Query"}}
                assert switch.version == 21
                assert 1 <= await _connections_named(name) <= 2  # sequential requests: one pooled connection
    finally:
        await plugins.close()
        await delete_prefix(prefix)
    assert await _connections_named(name) == 0


async def test_a_rate_limit_bucket_survives_a_reload_with_the_in_process_store() -> None:
    plugins = GatewayPlugins(open_traffic(None, {"PARKGRAPH_RATE_LIMITS": "class.anonymous=2/min"}))
    async with serve_subgraphs(subgraph_specs()) as servers, httpx.AsyncClient(timeout=10) as http:
        first = _supergraph(servers, "registry")
        switch = SupergraphSwitch(plugins_for=plugins)
        async with _gateway(switch, first) as url:
            for _ in range(2):
                assert (await http.post(f"{url}/graphql", json={"query": QUERY})).status_code == 200
            await switch.install(_supergraph(servers, "registry", "city_340100_investment"), 2)
            refused = await http.post(f"{url}/graphql", json={"query": QUERY})
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_ready_probes_the_subgraphs_of_the_supergraph_served_now() -> None:
    async with serve_subgraphs(subgraph_specs()) as servers, httpx.AsyncClient(timeout=10) as http:
        switch = SupergraphSwitch()
        async with _gateway(switch, _supergraph(servers, "registry")) as url:
            before = await http.get(f"{url}/ready")
            assert before.status_code == 200
            assert before.json()["subgraphs"] == {"registry": "ok"}

            # Hefei's subgraph joins at an address nothing listens on: the gateway is no longer ready.
            nowhere = {"city_340100_investment": "http://127.0.0.1:9/graphql"}
            await switch.install(_supergraph(servers, "registry", "city_340100_investment", urls=nowhere), 2)
            after = await http.get(f"{url}/ready")
            assert after.status_code == 503
            assert after.json()["subgraphs"]["registry"] == "ok"
            assert after.json()["subgraphs"]["city_340100_investment"] != "ok"

            await switch.install(_supergraph(servers, "registry", "city_340100_investment"), 3)
            again = await http.get(f"{url}/ready")
            assert again.status_code == 200
            assert set(again.json()["subgraphs"]) == {"registry", "city_340100_investment"}


class _Closable(Plugin):
    def __init__(self) -> None:
        self.closed = False

    async def close(self) -> None:
        self.closed = True


async def test_a_plugin_only_the_replaced_version_had_is_closed_after_the_request_timeout() -> None:
    shared = _Closable()
    per_version: list[_Closable] = []

    def plugins_for(_supergraph: Supergraph) -> list[Plugin]:
        per_version.append(_Closable())
        return [shared, per_version[-1]]

    async with serve_subgraphs(subgraph_specs()) as servers:
        switch = SupergraphSwitch(plugins_for=plugins_for, timeout=0.2)
        async with _gateway(switch, _supergraph(servers, "registry")):
            await switch.install(_supergraph(servers, "registry", "city_340100_investment"), 2)
            assert not per_version[0].closed  # a request may still be running on version 1
            await asyncio.sleep(0.4)
            assert per_version[0].closed
            await switch.install(_supergraph(servers, "registry"), 3)
        # Shutdown closes at once what was still waiting; the served version's plugins are the caller's to close.
        assert per_version[1].closed
        assert not per_version[2].closed
        assert not shared.closed
